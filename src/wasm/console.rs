//! The staff console's part of the JavaScript surface (feature `console`):
//! draws, conflicts, digests, report templates, drill-downs and exports. The
//! tablet's build leaves it out, so the officer downloads none of its code;
//! the console's build (`pkg/console/`) has all of the tablet's surface too.
//! Same binding invariants as the module above.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::*;

// ---- batch calls, help tables and summaries the officer's app does not make ----------

/// Validate many visits at once (one call across the boundary).
#[wasm_bindgen(js_name = validateVisits, unchecked_return_type = "ValidationReport[]")]
pub fn validate_visits(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let list: Vec<serde_json::Value> = list_from_js(visits).map_err(|e| js_error(&e))?;
    let reports: Vec<_> = list.into_iter().map(|v| crate::check_visit(v, now).report).collect();
    Ok(to_js(&reports))
}

#[derive(crate::encode::ToJson)]
struct CodeInfo {
    code: ProblemCode,
    severity: crate::Severity,
    meaning: Text,
}

/// Every data-problem code with its severity and meaning (for help screens).
#[wasm_bindgen(js_name = problemCodes, unchecked_return_type = "ProblemCodeInfo[]")]
pub fn problem_codes() -> JsValue {
    let list: Vec<CodeInfo> = ProblemCode::ALL.iter().map(|&c| CodeInfo { code: c, severity: c.severity(), meaning: c.meaning() }).collect();
    to_js(&list)
}

/// Evaluate many visits at once; follow-ups are matched to visits by `visitId`.
#[wasm_bindgen(js_name = evaluateVisits, unchecked_return_type = "(Evaluation | null)[]")]
pub fn evaluate_visits(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: JsValue, options: Option<EvaluateOptionsArg>) -> Result<JsValue, JsValue> {
    let with = evaluate_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let list: Vec<serde_json::Value> = list_from_js(visits).map_err(|e| js_error(&e))?;
    // Unreadable entries stay in place as null, so results line up with the input.
    let visits: Vec<Option<crate::Visit>> = list.into_iter().map(|v| crate::decode::decode(v).record).collect();
    let readable: Vec<crate::Visit> = visits.iter().flatten().cloned().collect();
    let mut evaluations = with_rulebook(|book| crate::evaluate::evaluate_visits(&readable, &with.follow_ups, book, with.as_of)).into_iter().map(|mut e| {
        crate::rectification::close_deadlines(&mut e, &with.rectifications);
        e
    });
    let out: Vec<Option<crate::Evaluation>> = visits.iter().map(|v| v.as_ref().and_then(|_| evaluations.next())).collect();
    Ok(to_js(&out))
}

/// Go back to the rulebook built into this core.
#[wasm_bindgen(js_name = useBuiltinRulebook)]
pub fn use_builtin_rulebook() {
    ACTIVE_RULEBOOK.with(|cell| *cell.borrow_mut() = None);
}

/// Every rule of the rulebook in use (for the catalogue screen).
#[wasm_bindgen(js_name = rules, unchecked_return_type = "Rule[]")]
pub fn rules() -> JsValue {
    with_rulebook(|book| to_js(&book.rules().collect::<Vec<_>>()))
}

/// Working days after `from` up to and including `to`.
#[wasm_bindgen(js_name = workingDaysBetween, unchecked_return_type = "Counted<number>")]
pub fn working_days_between(from: &str, to: &str) -> Result<JsValue, JsValue> {
    let a = parse_date(from).map_err(|e| js_error(&e))?;
    let b = parse_date(to).map_err(|e| js_error(&e))?;
    Ok(with_rulebook(|book| to_js(&book.calendar.working_days_between(a, b))))
}

/// The compliance summary of a set of visit records (any mix of drafts,
/// finalised records and amendments: each amendment chain counts once).
#[wasm_bindgen(js_name = summarise, unchecked_return_type = "Summary")]
pub fn summarise(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: js_sys::Array, options: SummariseOptionsArg) -> Result<JsValue, JsValue> {
    summary_of(visits, options).map(|s| to_js(&s))
}

// ---- lab results, draws, conflicts ----------------------------------------------------

/// Validate a sample follow-up record (lab result, 复检, disposal).
#[wasm_bindgen(js_name = validateFollowUp, unchecked_return_type = "ValidationReport")]
pub fn validate_follow_up(#[wasm_bindgen(unchecked_param_type = "SampleFollowUp")] record: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    Ok(to_js(&validate_one(record, now, crate::check_follow_up)))
}

/// Run a 双随机 draw (`xuncha::draw`): the same inputs and seed give the same
/// result here, natively and in `xuncha-hq draw run`.
#[wasm_bindgen(js_name = runDraw, unchecked_return_type = "DrawResult")]
pub fn run_draw(#[wasm_bindgen(unchecked_param_type = "DrawInputs")] inputs: JsValue, seed: &str, commitment: Option<String>) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let value: serde_json::Value = from_js(inputs).map_err(|e| js_error(&e))?;
    let inputs: crate::draw::DrawInputs = typed(&value).map_err(|e| js_error(&EdgeError::BadOptions(e)))?;
    let result = match commitment {
        Some(c) => crate::draw::rerun(&inputs, seed, &c),
        None => crate::draw::draw(&inputs, seed),
    };
    result.map(|r| to_js(&r)).map_err(|e| js_error(&e))
}

/// What differs between two versions of a record, leaf by leaf (JSON Pointers):
/// what staff compare when resolving a conflict.
#[wasm_bindgen(js_name = recordDifferences, unchecked_return_type = "Difference[]")]
pub fn record_differences(before: JsValue, after: JsValue) -> Result<JsValue, JsValue> {
    let a: serde_json::Value = from_js(before).map_err(|e| js_error(&e))?;
    let b: serde_json::Value = from_js(after).map_err(|e| js_error(&e))?;
    Ok(to_js(&crate::sync::diff::differences(&a, &b)))
}

/// The names of task states and results, and the publication list's columns.
#[wasm_bindgen(js_name = taskTerms, unchecked_return_type = "TaskTerms")]
pub fn task_terms() -> JsValue {
    to_js(&crate::draw::tasks::terms())
}

/// What is published before a draw: SHA-256 of the seed's text.
#[wasm_bindgen(js_name = drawCommitment)]
pub fn draw_commitment(seed: &str) -> String {
    crate::draw::commitment(seed)
}

fn summarise_values(visits: Vec<serde_json::Value>, opts: SummariseOptions) -> Result<crate::Summary, JsValue> {
    let visits: Vec<crate::Visit> = visits.into_iter().filter_map(read_for_counting).collect();
    let follow_ups = follow_ups_of(opts.follow_ups);
    with_rulebook(|book| crate::summarise(&visits, &follow_ups, &opts.rectifications, &opts.query, book)).map_err(|e| js_error(&e))
}

#[derive(crate::decode::FromValue)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RecordsBehindOptions {
    query: crate::summary::SummaryQuery,
    #[serde(default)]
    follow_ups: Vec<serde_json::Value>,
    #[serde(default)]
    rectifications: Vec<crate::summary::Rectification>,
    count: String,
    #[serde(default)]
    group: Option<String>,
}

/// The records that make up one count of the summary (for the whole scope, or
/// one group): each counted visit adding to it and by how much, oldest first.
/// Throws `UNKNOWN_COUNT` for a count the summary does not have.
#[wasm_bindgen(js_name = recordsBehind, unchecked_return_type = "RecordShare[]")]
pub fn records_behind(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: js_sys::Array, options: RecordsBehindOptionsArg) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let opts: RecordsBehindOptions = read_json(options.into()).map_err(|e| js_error(&e))?;
    let visits: Vec<crate::Visit> = visits.iter().filter_map(visit_for_counting).collect();
    let follow_ups = follow_ups_of(opts.follow_ups);
    with_rulebook(|book| crate::summary::records_behind(&visits, &follow_ups, &opts.rectifications, &opts.query, book, &opts.count, opts.group.as_deref())).map(|r| to_js(&r)).map_err(|e| js_error(&e))
}

/// The same, with the records and options as JSON text and the summary back
/// as JSON text: for large sets this crossing is faster (see BENCHMARKS.md).
#[wasm_bindgen(js_name = summariseJson)]
pub fn summarise_json(visits_json: &str, options_json: &str) -> Result<String, JsValue> {
    install_panic_hook();
    let opts: serde_json::Value = serde_json::from_str(options_json).map_err(|e| js_error(&EdgeError::BadOptions(e.to_string())))?;
    let opts: SummariseOptions = typed(&opts).map_err(|e| js_error(&EdgeError::BadOptions(e)))?;
    let list: Vec<serde_json::Value> = serde_json::from_str(visits_json).map_err(|e| js_error(&EdgeError::NotJson(e.to_string())))?;
    let summary = summarise_values(list, opts)?;
    Ok(serde_json::to_string(&summary).expect("a summary serialises"))
}

/// An incremental summary: add records as they are saved; read the figures at
/// any time without recounting (the tablet's live dashboard).
#[wasm_bindgen(js_name = SummaryBuilder)]
pub struct JsSummaryBuilder(crate::summary::SummaryBuilder);

#[wasm_bindgen(js_class = SummaryBuilder)]
impl JsSummaryBuilder {
    /// A builder for one query, under the rulebook in use now.
    #[wasm_bindgen(constructor)]
    pub fn new(query: SummaryQueryArg) -> Result<JsSummaryBuilder, JsValue> {
        install_panic_hook();
        let q: crate::summary::SummaryQuery = read_json(query.into()).map_err(|e| js_error(&e))?;
        with_rulebook(|book| crate::summary::SummaryBuilder::new(q, book)).map(JsSummaryBuilder).map_err(|e| js_error(&e))
    }

    /// Add a visit (or its amendment, which replaces it), with its samples' follow-ups.
    pub fn upsert(&mut self, #[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue, follow_ups: Option<FollowUpsArg>) -> Result<(), JsValue> {
        let follow_ups: Vec<serde_json::Value> = match follow_ups {
            Some(list) => list_from_js(list.into()).map_err(|e| js_error(&e))?,
            None => vec![],
        };
        let follow_ups = follow_ups_of(follow_ups);
        if let Some(v) = visit_for_counting(visit) {
            self.0.upsert(&v, &follow_ups);
        }
        Ok(())
    }

    /// Record rectifications (re-upsert the visit they close to count them).
    #[wasm_bindgen(js_name = addRectifications)]
    pub fn add_rectifications(&mut self, #[wasm_bindgen(unchecked_param_type = "Rectification[]")] list: JsValue) -> Result<(), JsValue> {
        let list: Vec<crate::summary::Rectification> = read_json(list).map_err(|e| js_error(&e))?;
        self.0.add_rectifications(&list);
        Ok(())
    }

    /// How many records are counted now.
    pub fn counted(&self) -> usize {
        self.0.counted()
    }

    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self) -> JsValue {
        to_js(&self.0.summary())
    }
}

/// The bureau's digests held in wasm memory (the staff console): loaded from
/// HQ or from the console's IndexedDB cache as JSON text — one parse, no
/// crossing per record — and summed for any period, scope, grouping and day
/// without reading a record. A digest with an id already held replaces it.
#[wasm_bindgen(js_name = DigestSet)]
#[derive(Default)]
pub struct JsDigestSet(crate::summary::DigestIndex);

#[wasm_bindgen(js_class = DigestSet)]
impl JsDigestSet {
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsDigestSet {
        install_panic_hook();
        JsDigestSet::default()
    }

    /// Add a page of digests as HQ serves it (`{ rulebook, next, more, total, digests }`,
    /// from HQ or from the cache, as text); returns the page without its digests.
    #[wasm_bindgen(js_name = addPage, unchecked_return_type = "DigestPageHead")]
    pub fn add_page(&mut self, text: &str) -> Result<JsValue, JsValue> {
        // Read by serde_json straight from the text: a page is large and comes from HQ as text.
        #[derive(Deserialize)]
        struct Page {
            rulebook: String,
            next: i64,
            more: bool,
            total: u64,
            digests: Vec<crate::summary::Digest>,
        }
        let page: Page = serde_json::from_str(text).map_err(|e| js_error(&EdgeError::NotJson(e.to_string())))?;
        let count = page.digests.len();
        self.0.extend(page.digests);
        Ok(to_js(&serde_json::json!({ "rulebook": page.rulebook, "next": page.next, "more": page.more, "total": page.total, "count": count })))
    }

    /// The digests held, as bytes for the console's cache (see `summary::cache`).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::summary::cache::to_bytes(&self.0)
    }

    /// Digests kept as bytes, held again; throws `CACHE_UNREADABLE` for bytes that do not read.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<JsDigestSet, JsValue> {
        install_panic_hook();
        crate::summary::cache::from_bytes(bytes).map(JsDigestSet).map_err(|e| js_error(&e))
    }

    /// How many records are held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// The summary of a query, from the digests alone.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn summary(&self, query: SummaryQueryArg) -> Result<JsValue, JsValue> {
        let q: crate::summary::SummaryQuery = read_json(query.into()).map_err(|e| js_error(&e))?;
        with_rulebook(|book| self.0.summary(&q, book)).map(|s| to_js(&s)).map_err(|e| js_error(&e))
    }

    /// The same summary as JSON text: for a grouping of thousands (by operator)
    /// one `JSON.parse` is faster than building the objects across the boundary.
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self, query: SummaryQueryArg) -> Result<String, JsValue> {
        let q: crate::summary::SummaryQuery = read_json(query.into()).map_err(|e| js_error(&e))?;
        with_rulebook(|book| self.0.summary(&q, book)).map(|s| serde_json::to_string(&s).expect("a summary serialises")).map_err(|e| js_error(&e))
    }

    /// The records behind one count (for the whole scope, or one group), oldest first.
    #[wasm_bindgen(js_name = recordsBehind, unchecked_return_type = "RecordShare[]")]
    pub fn records_behind(&self, query: SummaryQueryArg, count: &str, group: Option<String>) -> Result<JsValue, JsValue> {
        let q: crate::summary::SummaryQuery = read_json(query.into()).map_err(|e| js_error(&e))?;
        with_rulebook(|book| self.0.records_behind(&q, book, count, group.as_deref())).map(|r| to_js(&r)).map_err(|e| js_error(&e))
    }

    /// One record's digest (what the lists show of it: operator, market, date, officers).
    #[wasm_bindgen(unchecked_return_type = "Digest | undefined")]
    pub fn get(&self, id: &str) -> JsValue {
        self.0.get(id).map(to_js).unwrap_or(JsValue::UNDEFINED)
    }
}

/// A report template file read and checked by the core: the template, or every
/// reason it cannot be used (a figure the core does not have, a brace left open…).
#[wasm_bindgen(js_name = checkReportTemplate, unchecked_return_type = "TemplateCheck")]
pub fn check_report_template(text: &str) -> JsValue {
    match crate::summary::template::ReportTemplate::from_json(text) {
        Ok(t) => to_js(&serde_json::json!({ "template": t, "problems": [] })),
        Err(e) => to_js(&serde_json::json!({ "problems": e.0 })),
    }
}

/// The core's own wording, and every figure a template may name with its meaning.
#[wasm_bindgen(js_name = reportTemplateTerms, unchecked_return_type = "ReportTemplateTerms")]
pub fn report_template_terms() -> JsValue {
    let figures: Vec<serde_json::Value> = crate::summary::template::FIGURES.iter().map(|(name, zh, en)| serde_json::json!({ "name": name, "meaning": { "zh": zh, "en": en } })).collect();
    to_js(&serde_json::json!({ "builtin": crate::summary::template::ReportTemplate::builtin(), "figures": figures }))
}

/// The summary table as CSV (UTF-8 with BOM, for Excel).
#[wasm_bindgen(js_name = summaryCsv)]
pub fn summary_csv(summary: SummaryArg) -> Result<String, JsValue> {
    Ok(crate::summary::export::summary_csv(&read_summary(summary)?))
}

fn evaluated(visits: JsValue, options: Option<EvaluateOptionsArg>) -> Result<(Vec<crate::Visit>, Vec<Option<crate::Evaluation>>), JsValue> {
    let with = evaluate_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let list: Vec<serde_json::Value> = list_from_js(visits).map_err(|e| js_error(&e))?;
    let visits: Vec<crate::Visit> = list.into_iter().filter_map(|v| crate::decode::decode(v).record).collect();
    let evals = with_rulebook(|book| crate::evaluate::evaluate_visits(&visits, &with.follow_ups, book, with.as_of))
        .into_iter()
        .map(|mut e| {
            crate::rectification::close_deadlines(&mut e, &with.rectifications);
            Some(e)
        })
        .collect();
    Ok((visits, evals))
}

/// One row per visit record, as CSV.
#[wasm_bindgen(js_name = visitsCsv)]
pub fn visits_csv(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: JsValue, options: Option<EvaluateOptionsArg>) -> Result<String, JsValue> {
    let (v, e) = evaluated(visits, options)?;
    Ok(crate::summary::export::visits_csv(&v, &e))
}

/// One row per finding, as CSV.
#[wasm_bindgen(js_name = findingsCsv)]
pub fn findings_csv(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: JsValue, options: Option<EvaluateOptionsArg>) -> Result<String, JsValue> {
    let (v, e) = evaluated(visits, options)?;
    Ok(crate::summary::export::findings_csv(&v, &e))
}

fn read_summary(summary: SummaryArg) -> Result<crate::Summary, JsValue> {
    read_json(summary.into()).map_err(|e| js_error(&e))
}

/// The report paragraphs (a total, then one per kind of check), in Chinese and
/// English: in a bureau's template (a checked one, see `checkReportTemplate`),
/// or in the core's own wording.
#[wasm_bindgen(js_name = reportParagraphs, unchecked_return_type = "ReportParagraphs")]
pub fn report_paragraphs(summary: SummaryArg, template: Option<ReportTemplateArg>) -> Result<JsValue, JsValue> {
    let summary = read_summary(summary)?;
    match template {
        None => Ok(to_js(&crate::summary::report::paragraphs(&summary))),
        Some(t) => {
            let t: crate::summary::template::ReportTemplate = read_json(t.into()).map_err(|e| js_error(&e))?;
            t.check().map_err(|e| js_error(&e))?;
            Ok(to_js(&t.render(&summary)))
        }
    }
}

/// The month-by-month trend as an SVG document.
#[wasm_bindgen(js_name = trendChartSvg)]
pub fn trend_chart_svg(summary: SummaryArg) -> Result<String, JsValue> {
    Ok(crate::summary::chart::trend_svg(&read_summary(summary)?))
}

/// Violations by type as an SVG document.
#[wasm_bindgen(js_name = findingsChartSvg)]
pub fn findings_chart_svg(summary: SummaryArg) -> Result<String, JsValue> {
    Ok(crate::summary::chart::findings_svg(&read_summary(summary)?))
}

// ---- benchmark helpers (only with the `bench-tools` feature) --------------------

/// A generated data set as JSON text `{ visits, followUps, rectifications }`.
#[cfg(feature = "bench-tools")]
#[wasm_bindgen(js_name = benchGenerate)]
pub fn bench_generate(seed: u32, visits: u32, year: i32) -> String {
    let d = crate::dataset::generate(seed as u64, visits as usize, year);
    serde_json::json!({ "visits": d.visits, "followUps": d.follow_ups, "rectifications": d.rectifications }).to_string()
}

/// The digests of a generated data set as HQ serves them: pages of `page_size`
/// (`{ rulebook, next, more, total, digests }` as text). Returns `{ makeMs, pages }`.
#[cfg(feature = "bench-tools")]
#[wasm_bindgen(js_name = benchDigestPages)]
pub fn bench_digest_pages(seed: u32, visits: u32, year: i32, page_size: u32) -> JsValue {
    let d = crate::dataset::generate(seed as u64, visits as usize, year);
    let t0 = js_sys::Date::now();
    let digests = with_rulebook(|book| crate::summary::digest::digests_of(&d.visits, &d.follow_ups, &d.rectifications, book));
    let make_ms = js_sys::Date::now() - t0;
    let version = with_rulebook(|book| book.version.clone());
    let chunks: Vec<&[crate::summary::Digest]> = digests.chunks(page_size.max(1) as usize).collect();
    let pages: Vec<String> = chunks
        .iter()
        .enumerate()
        .map(|(i, c)| serde_json::json!({ "rulebook": version, "next": (i + 1) as u64, "more": i + 1 < chunks.len(), "total": digests.len(), "digests": c }).to_string())
        .collect();
    to_js(&serde_json::json!({ "makeMs": make_ms, "pages": pages }))
}

/// Summarise a generated data set without crossing the boundary: the core's own time.
/// Returns `{ items, visits, generateMs, summariseMs }`.
#[cfg(feature = "bench-tools")]
#[wasm_bindgen(js_name = benchSummariseInside)]
pub fn bench_summarise_inside(seed: u32, visits: u32, year: i32, query: SummaryQueryArg) -> Result<JsValue, JsValue> {
    let q: crate::summary::SummaryQuery = read_json(query.into()).map_err(|e| js_error(&e))?;
    let now = || js_sys::Date::now();
    let t0 = now();
    let d = crate::dataset::generate(seed as u64, visits as usize, year);
    let t1 = now();
    let s = with_rulebook(|book| crate::summarise(&d.visits, &d.follow_ups, &d.rectifications, &q, book)).map_err(|e| js_error(&e))?;
    let t2 = now();
    Ok(to_js(&serde_json::json!({ "visits": d.visits.len(), "items": d.item_count(), "generateMs": t1 - t0, "summariseMs": t2 - t1, "counted": s.figures.visits })))
}
