//! A bureau's digests held for many queries — the console's figures screen,
//! HQ's summary endpoint. What does not depend on the query is done once, as
//! digests are added: each record's names made numbers, each finding's rule
//! found, the amendment chains resolved. A query then only counts.

use super::accumulate::{FastMap, NameIds, Names};
use super::{oldest_first, share_of, Chains, Digest, Part, RecordShare, Summary, SummaryBuilder, SummaryError, SummaryQuery};
use crate::rules::Rulebook;

#[derive(Clone, Debug, Default)]
pub struct DigestIndex {
    digests: Vec<Digest>,
    ids: Vec<NameIds>,
    /// Record id → place in `digests`.
    at: FastMap<String, usize>,
    names: Names,
    /// Resolved when first asked after a change (a console adds many pages before it sums).
    chains: std::sync::OnceLock<Chains>,
}

impl DigestIndex {
    /// Add digests; one with an id already held replaces it. The chains are
    /// resolved again when next needed.
    pub fn extend(&mut self, digests: impl IntoIterator<Item = Digest>) {
        let mut added = 0;
        for mut d in digests {
            added += 1;
            d.prepare();
            let ids = self.names.ids_of(&d);
            match self.at.get(&d.id) {
                Some(&i) => {
                    self.digests[i] = d;
                    self.ids[i] = ids;
                }
                None => {
                    self.at.insert(d.id.clone(), self.digests.len());
                    self.digests.push(d);
                    self.ids.push(ids);
                }
            }
        }
        // Nothing new (a cache brought up to date with no change): the chains stand.
        if added > 0 {
            self.chains = std::sync::OnceLock::new();
        }
    }

    fn chains(&self) -> &Chains {
        self.chains.get_or_init(|| Chains::of(&self.digests, Some(&self.at)))
    }

    pub fn len(&self) -> usize {
        self.digests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// The digests held, in the order first added.
    pub fn digests(&self) -> &[Digest] {
        &self.digests
    }

    pub fn get(&self, id: &str) -> Option<&Digest> {
        self.at.get(id).map(|&i| &self.digests[i])
    }

    /// A builder for `query` with the drafts and superseded records noted.
    fn builder(&self, query: &SummaryQuery, book: &Rulebook) -> Result<SummaryBuilder, SummaryError> {
        let mut b = SummaryBuilder::new(query.clone(), book)?;
        self.chains().note(&mut b, &self.digests, |d| d.started_on);
        Ok(b)
    }

    /// The summary of a query: equal to [`super::summarise_digests`] of the same digests.
    pub fn summary(&self, query: &SummaryQuery, book: &Rulebook) -> Result<Summary, SummaryError> {
        let mut b = self.builder(query, book)?;
        for &i in &self.chains().counted {
            let (d, ids) = (&self.digests[i], &self.ids[i]);
            if let Some(e) = b.entry(d, ids) {
                b.apply(d, ids, &e, true);
            }
        }
        Ok(b.summary())
    }

    /// The records behind one count: equal to [`super::records_behind_digests`].
    pub fn records_behind(&self, query: &SummaryQuery, book: &Rulebook, count: &str, group: Option<&str>) -> Result<Vec<RecordShare>, SummaryError> {
        let read = super::count_reader(count)?;
        let b = self.builder(query, book)?;
        let part = Part::of(&b, group, &self.names);
        let mut out = Vec::new();
        for &i in &self.chains().counted {
            let d = &self.digests[i];
            if let Some(e) = b.entry(d, &self.ids[i]) {
                share_of(&mut out, &read, &part, &d.id, &e);
            }
        }
        Ok(oldest_first(out))
    }
}
