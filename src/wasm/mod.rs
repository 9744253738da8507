//! The JavaScript surface of the core — the only place with wasm types.
//!
//! Binding invariants (keep them when adding a function):
//! 1. Records go in as plain JS objects and come out as plain JS objects
//!    (`json_compatible`: objects, never `Map`s; numbers, never `BigInt`s).
//! 2. Validation never throws: a bad record gives problems in the report.
//!    Operations that can fail (finalise, amend, bad options) throw a
//!    `XunchaError` — a real `Error` with `code`, `messages` and `problems`.
//! 3. The clock is read here (or taken from `options.now`), never inside the core.
//! 4. Every export has a precise TypeScript type from `types.d.ts`.
//! 5. The tablet's build has only what the officer's app calls; the staff
//!    console's build adds [`console`] (feature `console`, `pkg/console/`).

use crate::encode::ToJson;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::CoreError;
use crate::problem::{Problem, ProblemCode, Text};
use crate::time::{parse_timestamp, timestamp_from_unix_ms, Timestamp};
use crate::visit::lifecycle::{amend, discard, finalise};
use crate::visit::ConfirmedWarning;

#[cfg(feature = "console")]
mod console;
#[cfg(feature = "console")]
pub use console::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Options of the validating calls (typed for TypeScript, read with serde).
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptionsArg;
    #[wasm_bindgen(typescript_type = "FinaliseOptions")]
    pub type FinaliseOptionsArg;
    #[wasm_bindgen(typescript_type = "EvaluateOptions")]
    pub type EvaluateOptionsArg;
    #[wasm_bindgen(typescript_type = "SummariseOptions")]
    pub type SummariseOptionsArg;
    #[wasm_bindgen(typescript_type = "SummaryQuery")]
    pub type SummaryQueryArg;
    #[wasm_bindgen(typescript_type = "RecordsBehindOptions")]
    pub type RecordsBehindOptionsArg;
    #[wasm_bindgen(typescript_type = "Summary")]
    pub type SummaryArg;
    #[wasm_bindgen(typescript_type = "SampleFollowUp[]")]
    pub type FollowUpsArg;
    #[wasm_bindgen(typescript_type = "ReportTemplate")]
    pub type ReportTemplateArg;
}

/// A panic is a bug (the core is built not to panic on any input); if one
/// happens, say where in the console. Installed on first use: no start-up work.
/// The shipped modules abort at once instead (scripts/build-wasm.sh): smaller,
/// and the same input reproduces the panic, with its message, natively.
fn install_panic_hook() {
    #[cfg(not(panic = "immediate-abort"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&format!("xuncha core panicked: {info}").into()))));
    }
}

/// Errors of the edge itself: bad arguments from JavaScript.
#[derive(Debug)]
enum EdgeError {
    BadOptions(String),
    NotJson(String),
    NoRandomness,
    BadDate(String),
}

impl CoreError for EdgeError {
    fn code(&self) -> &'static str {
        match self {
            EdgeError::BadOptions(_) => "BAD_OPTIONS",
            EdgeError::NotJson(_) => "INPUT_NOT_JSON",
            EdgeError::NoRandomness => "NO_RANDOMNESS",
            EdgeError::BadDate(_) => "BAD_DATE",
        }
    }
    fn message(&self) -> Text {
        match self {
            EdgeError::BadOptions(e) => Text::new(format!("参数无效：{e}"), format!("invalid options: {e}")),
            EdgeError::NotJson(e) => Text::new(format!("输入不是 JSON 数据：{e}"), format!("input is not JSON data: {e}")),
            EdgeError::NoRandomness => Text::new("浏览器不提供 crypto.getRandomValues", "crypto.getRandomValues is not available"),
            EdgeError::BadDate(s) => Text::new(format!("“{s}”不是日期（YYYY-MM-DD）"), format!("\"{s}\" is not a date (YYYY-MM-DD)")),
        }
    }
}

/// Build the JS error object for any core error.
fn js_error(e: &dyn CoreError) -> JsValue {
    let text = e.message();
    let err = js_sys::Error::new(&text.zh);
    err.set_name("XunchaError");
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(k), v);
    };
    set("code", &JsValue::from_str(e.code()));
    set("messages", &to_js(&text));
    set("problems", &to_js(&e.problems()));
    set("details", &to_js(&e.details()));
    err.into()
}

/// Every output crosses as JSON text: written by the core's own writer
/// (`encode::ToJson`, the same text serde_json gave), then the browser's
/// `JSON.parse`. No serializer in the module, and one call across the
/// boundary instead of one per member.
fn to_js<T: ToJson + ?Sized>(value: &T) -> JsValue {
    js_sys::JSON::parse(&crate::encode::to_json_text(value)).expect("the writer writes JSON (tests/encode_same.rs)")
}

/// Every input crosses as JSON text too: the browser's `JSON.stringify`, then
/// serde_json's parser. What JSON cannot hold is refused (a BigInt, a cycle) or
/// left out as JSON.stringify leaves it out (`undefined`, a function) — what HQ
/// would be sent, since the app sends records the same way.
fn from_js(value: JsValue) -> Result<serde_json::Value, EdgeError> {
    let text = js_sys::JSON::stringify(&value).map_err(|e| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        EdgeError::NotJson(why)
    })?;
    match JsValue::from(text).as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|e| EdgeError::NotJson(e.to_string())),
        // undefined, a function or a symbol: JSON has nothing to say of it
        None => Ok(serde_json::Value::Null),
    }
}

/// A JS array of records, each as JSON.
fn list_from_js(value: JsValue) -> Result<Vec<serde_json::Value>, EdgeError> {
    match from_js(value)? {
        serde_json::Value::Array(items) => Ok(items),
        _ => Err(EdgeError::NotJson("expected an array".into())),
    }
}

#[derive(Default, crate::decode::FromValue)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct Options {
    now: Option<String>,
    confirmed_warnings: Vec<ConfirmedWarning>,
}

/// Optional options from JS; absent (undefined or null) means the defaults.
fn read_options<T: crate::decode::FromValue + Default>(value: Option<JsValue>) -> Result<T, EdgeError> {
    install_panic_hook();
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => read_json(v),
        _ => Ok(T::default()),
    }
}

/// Options and other arguments read as JSON, by the records' reader: a misspelt
/// option is refused with its place, never ignored.
fn read_json<T: crate::decode::FromValue>(value: JsValue) -> Result<T, EdgeError> {
    let json: serde_json::Value = from_js(value).map_err(|e| EdgeError::BadOptions(e.message().en))?;
    typed(&json).map_err(EdgeError::BadOptions)
}

/// Every typed argument is read by the one reader the records use
/// (`decode::read`): each type's reading code is compiled once, and a bad
/// option names its place.
fn typed<T: crate::decode::FromValue>(json: &serde_json::Value) -> Result<T, String> {
    crate::decode::read(json).map_err(|e| e.to_string())
}

fn parse_options(value: Option<JsValue>) -> Result<(Timestamp, Vec<ConfirmedWarning>), EdgeError> {
    let opts: Options = read_options(value)?;
    let now = match opts.now {
        Some(s) => parse_timestamp(&s).ok_or_else(|| EdgeError::BadOptions(format!("now = {s:?} is not an RFC 3339 time")))?,
        None => timestamp_from_unix_ms(js_sys::Date::now()).ok_or_else(|| EdgeError::BadOptions("clock".into()))?,
    };
    Ok((now, opts.confirmed_warnings))
}

/// The core's version.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::CORE_VERSION.to_string()
}

/// The record schema version this core reads and writes.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    crate::visit::SCHEMA_VERSION
}

/// A new record id: UUID v7 from the clock and `crypto.getRandomValues`.
#[wasm_bindgen(js_name = newId)]
pub fn new_id() -> Result<String, JsValue> {
    let crypto: web_sys::Crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok().and_then(|c| c.dyn_into().ok()).ok_or_else(|| js_error(&EdgeError::NoRandomness))?;
    let mut random = [0u8; 10];
    crypto.get_random_values_with_u8_array(&mut random).map_err(|_| js_error(&EdgeError::NoRandomness))?;
    Ok(crate::ids::uuid_v7(js_sys::Date::now() as u64, random))
}

/// Validate one visit. Never throws for a bad record: the problems are in the report.
#[wasm_bindgen(js_name = validateVisit, unchecked_return_type = "ValidationReport")]
pub fn validate_visit(#[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    Ok(to_js(&validate_one(visit, now, crate::check_visit)))
}

/// Validate a record of documents handed over (送达).
#[wasm_bindgen(js_name = validateDelivery, unchecked_return_type = "ValidationReport")]
pub fn validate_delivery(#[wasm_bindgen(unchecked_param_type = "DeliveryRecord")] record: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    Ok(to_js(&validate_one(record, now, crate::validate::check_delivery)))
}

/// The credit code in a text read from a business licence's QR code, if any
/// (checked like a typed one once it is in the form).
#[wasm_bindgen(js_name = creditCodeIn)]
pub fn credit_code_in(text: &str) -> Option<String> {
    crate::credit_code::find_in(text)
}

/// The visit a 双随机 task starts (`draw::tasks::visit_record_for`): the task's id,
/// the operator and site from the directory entry, the two inspectors. The app
/// adds the id, schema version and status as for any new visit.
#[wasm_bindgen(js_name = visitForTask, unchecked_return_type = "Visit")]
pub fn visit_for_task(#[wasm_bindgen(unchecked_param_type = "Task")] task: JsValue) -> Result<JsValue, JsValue> {
    let value: serde_json::Value = from_js(task).map_err(|e| js_error(&e))?;
    let task: crate::draw::tasks::Task = typed(&value).map_err(|e| js_error(&EdgeError::BadOptions(e)))?;
    Ok(to_js(&crate::draw::tasks::visit_record_for(&task)))
}

/// Validate a rectification record (复查 on site, or closed on documents).
#[wasm_bindgen(js_name = validateRectification, unchecked_return_type = "ValidationReport")]
pub fn validate_rectification(#[wasm_bindgen(unchecked_param_type = "RectificationRecord")] record: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    Ok(to_js(&validate_one(record, now, crate::validate::check_rectification)))
}

/// The findings that rectification records show rectified, each on the first
/// day one says so: what `evaluateVisit`, `summarise` and the builder count.
/// Unreadable records are skipped (each was validated when it was saved).
#[wasm_bindgen(js_name = rectificationsOf, unchecked_return_type = "Rectification[]")]
pub fn rectifications_of(#[wasm_bindgen(unchecked_param_type = "RectificationRecord[]")] records: JsValue) -> Result<JsValue, JsValue> {
    let list: Vec<serde_json::Value> = list_from_js(records).map_err(|e| js_error(&e))?;
    let records: Vec<crate::rectification::RectificationRecord> = list.into_iter().filter_map(|r| crate::decode::decode(r).record).collect();
    Ok(to_js(&crate::rectification::rectifications_of(&records)))
}

/// The names of the ways a rectification is checked and of its outcomes.
#[wasm_bindgen(js_name = rectificationTerms, unchecked_return_type = "RectificationTerms")]
pub fn rectification_terms() -> JsValue {
    to_js(&crate::rectification::terms())
}

/// The ways a document may be handed over, each with its name and what it needs.
#[wasm_bindgen(js_name = deliveryMethods, unchecked_return_type = "DeliveryMethodInfo[]")]
pub fn delivery_methods() -> JsValue {
    to_js(&crate::documents::delivery::methods())
}

fn validate_one<T>(value: JsValue, now: Timestamp, check: fn(serde_json::Value, Timestamp) -> crate::Checked<T>) -> crate::ValidationReport {
    match from_js(value) {
        Ok(v) => check(v, now).report,
        // Not even JSON-like (a function, a symbol…): report it like any unreadable record.
        Err(e) => {
            crate::ValidationReport::from_problems(vec![Problem::new(ProblemCode::NotAnObject, "", Text::new("记录不是 JSON 对象", format!("the record is not a JSON object: {}", e.message().en)))])
        }
    }
}

/// Finalise a draft: returns the finalised visit, or throws `XunchaError`
/// (`FINALISE_BLOCKED`, `NEEDS_CONFIRMATION`, `ALREADY_FINALISED`, `NOT_A_VISIT`).
#[wasm_bindgen(js_name = finaliseVisit, unchecked_return_type = "Visit")]
pub fn finalise_visit(#[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue, options: Option<FinaliseOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, confirmed) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let value: serde_json::Value = from_js(visit).map_err(|e| js_error(&e))?;
    finalise(value, now, &confirmed).map(|changed| to_js(&changed.record)).map_err(|e| js_error(&e))
}

/// Start an amendment of a finalised visit: a new draft (new id) pointing at
/// the original. Throws `XunchaError` (`NOT_FINALISED`, `REASON_REQUIRED`, `NOT_A_VISIT`).
#[wasm_bindgen(js_name = amendVisit, unchecked_return_type = "Visit")]
pub fn amend_visit(#[wasm_bindgen(unchecked_param_type = "Visit")] original: JsValue, reason: String, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let value: serde_json::Value = from_js(original).map_err(|e| js_error(&e))?;
    let id = new_id()?;
    amend(value, &id, &reason, now).map(|changed| to_js(&changed.record)).map_err(|e| js_error(&e))
}

/// Give up a draft: the record marked discarded, to be saved and synced like
/// any revision (HQ keeps it as a tombstone). Throws for a finalised visit.
#[wasm_bindgen(js_name = discardVisit, unchecked_return_type = "Visit")]
pub fn discard_visit(#[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue, options: Option<ValidateOptionsArg>) -> Result<JsValue, JsValue> {
    let (now, _) = parse_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let value: serde_json::Value = from_js(visit).map_err(|e| js_error(&e))?;
    discard(value, now).map(|changed| to_js(&changed.record)).map_err(|e| js_error(&e))
}

// ---- compliance --------------------------------------------------------------

thread_local! {
    /// The rulebook in use: the built-in one until HQ pushes a newer one.
    static ACTIVE_RULEBOOK: std::cell::RefCell<Option<crate::Rulebook>> = const { std::cell::RefCell::new(None) };
}

fn with_rulebook<T>(f: impl FnOnce(&crate::Rulebook) -> T) -> T {
    ACTIVE_RULEBOOK.with(|cell| match &*cell.borrow() {
        Some(book) => f(book),
        None => f(crate::Rulebook::builtin()),
    })
}

#[derive(Default, crate::decode::FromValue)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct EvaluateOptions {
    as_of: Option<String>,
    follow_ups: Vec<serde_json::Value>,
    /// What `rectificationsOf` made of the visits' rectification records: meets their deadlines.
    rectifications: Vec<crate::summary::Rectification>,
}

/// Follow-ups from JS: the readable ones (each was validated when it was saved).
fn follow_ups_of(values: Vec<serde_json::Value>) -> Vec<crate::sampling::SampleFollowUp> {
    values.into_iter().filter_map(|f| crate::decode::decode(f).record).collect()
}

/// What evaluating needs besides the visits.
struct EvaluateWith {
    as_of: crate::time::Date,
    follow_ups: Vec<crate::sampling::SampleFollowUp>,
    rectifications: Vec<crate::summary::Rectification>,
}

fn parse_date(s: &str) -> Result<crate::time::Date, EdgeError> {
    crate::time::read_date(s).map_err(|_| EdgeError::BadDate(s.to_string()))
}

fn evaluate_options(value: Option<JsValue>) -> Result<EvaluateWith, EdgeError> {
    let opts: EvaluateOptions = read_options(value)?;
    let as_of = match opts.as_of {
        Some(s) => parse_date(&s)?,
        None => timestamp_from_unix_ms(js_sys::Date::now()).ok_or_else(|| EdgeError::BadOptions("clock".into()))?.date_naive(),
    };
    let follow_ups = follow_ups_of(opts.follow_ups);
    Ok(EvaluateWith { as_of, follow_ups, rectifications: opts.rectifications })
}

/// Compliance findings and deadlines of one visit under the rulebook in use.
/// `options.asOf` (default: today) is the day deadlines are judged on;
/// `options.followUps` are the lab/复检/disposal records of its samples;
/// `options.rectifications` (from `rectificationsOf`) meet its rectification deadlines.
#[wasm_bindgen(js_name = evaluateVisit, unchecked_return_type = "Evaluation | null")]
pub fn evaluate_visit(#[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue, options: Option<EvaluateOptionsArg>) -> Result<JsValue, JsValue> {
    let with = evaluate_options(options.map(Into::into)).map_err(|e| js_error(&e))?;
    let value: serde_json::Value = from_js(visit).map_err(|e| js_error(&e))?;
    let Some(visit) = crate::decode::decode::<crate::Visit>(value).record else { return Ok(JsValue::NULL) };
    let mut eval = with_rulebook(|book| crate::evaluate_visit(&visit, &with.follow_ups, book, with.as_of));
    crate::rectification::close_deadlines(&mut eval, &with.rectifications);
    Ok(to_js(&eval))
}

#[derive(crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
struct RulebookInfo {
    version: String,
    published: crate::time::Date,
    builtin: bool,
    rule_count: usize,
    calendar_years: Vec<i32>,
}

fn info(book: &crate::Rulebook, builtin: bool) -> RulebookInfo {
    RulebookInfo { version: book.version.clone(), published: book.published, builtin, rule_count: book.rules().count(), calendar_years: book.calendar.known_years() }
}

/// Replace the rulebook in use (JSON text from HQ). A rulebook the engine
/// cannot use is refused whole — `XunchaError` `RULEBOOK_INVALID` with every
/// reason in `details` — and the one in use stays.
#[wasm_bindgen(js_name = loadRulebook, unchecked_return_type = "RulebookInfo")]
pub fn load_rulebook(json: &str) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let book = crate::Rulebook::from_json(json).map_err(|e| js_error(&e))?;
    let out = to_js(&info(&book, false));
    ACTIVE_RULEBOOK.with(|cell| *cell.borrow_mut() = Some(book));
    Ok(out)
}

/// Which rulebook is in use.
#[wasm_bindgen(js_name = rulebookInfo, unchecked_return_type = "RulebookInfo")]
pub fn rulebook_info() -> JsValue {
    let builtin = ACTIVE_RULEBOOK.with(|cell| cell.borrow().is_none());
    with_rulebook(|book| to_js(&info(book, builtin)))
}

/// The `n`-th working day after `date` (the day itself not counted).
#[wasm_bindgen(js_name = addWorkingDays, unchecked_return_type = "Counted<DateString>")]
pub fn add_working_days(date: &str, n: u32) -> Result<JsValue, JsValue> {
    let d = parse_date(date).map_err(|e| js_error(&e))?;
    Ok(with_rulebook(|book| to_js(&book.calendar.add_working_days(d, n))))
}

// ---- summaries ---------------------------------------------------------------

#[derive(crate::decode::FromValue)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SummariseOptions {
    query: crate::summary::SummaryQuery,
    #[serde(default)]
    follow_ups: Vec<serde_json::Value>,
    #[serde(default)]
    rectifications: Vec<crate::summary::Rectification>,
}

/// Records for counting (they were validated when saved): see `decode_trusted`.
/// Typed reading straight from JS objects or from text would be faster, but
/// compiles the whole record model once more (+73 KB and +117 KB of wasm,
/// measured): not worth it for a path the live builder makes rare.
fn read_for_counting(v: serde_json::Value) -> Option<crate::Visit> {
    crate::decode::decode_trusted(v)
}

/// The summary of visits from JS under the rulebook in use (`dashboard`, `summarise`).
fn summary_of(visits: js_sys::Array, options: SummariseOptionsArg) -> Result<crate::Summary, JsValue> {
    install_panic_hook();
    let opts: SummariseOptions = read_json(options.into()).map_err(|e| js_error(&e))?;
    // Element by element straight into typed records: no intermediate tree of
    // the whole array (half the memory, a fraction of the time).
    let visits: Vec<crate::Visit> = visits.iter().filter_map(visit_for_counting).collect();
    let follow_ups = follow_ups_of(opts.follow_ups);
    with_rulebook(|book| crate::summarise(&visits, &follow_ups, &opts.rectifications, &opts.query, book)).map_err(|e| js_error(&e))
}

/// The tablet's dashboard in one call: the figures of the officer's visits,
/// their report paragraphs (the core's own wording) and both charts. Made from
/// the summary while it is still typed, so the tablet never reads one back in
/// (that reading code is the console's: `reportParagraphs` and the charts), and
/// only the figures cross (the months and groups are the console's, `summarise`).
#[wasm_bindgen(js_name = dashboard, unchecked_return_type = "Dashboard")]
pub fn dashboard(#[wasm_bindgen(unchecked_param_type = "Visit[]")] visits: js_sys::Array, options: SummariseOptionsArg) -> Result<JsValue, JsValue> {
    let summary = summary_of(visits, options)?;
    Ok(to_js(&Dashboard {
        report: crate::summary::report::paragraphs(&summary),
        trend_chart: crate::summary::chart::trend_svg(&summary),
        findings_chart: crate::summary::chart::findings_svg(&summary),
        figures: &summary.figures,
    }))
}

/// `Dashboard` in types.d.ts. Typed, so the figures are turned into JSON once
/// (a `json!` tree would be built, then copied again by `to_js`).
#[derive(crate::encode::ToJson)]
#[serde(rename_all = "camelCase")]
struct Dashboard<'a> {
    figures: &'a crate::summary::Figures,
    report: crate::summary::report::ReportParagraphs,
    trend_chart: String,
    findings_chart: String,
}

/// A record from JS for counting, one array element at a time.
fn visit_for_counting(value: JsValue) -> Option<crate::Visit> {
    read_for_counting(from_js(value).ok()?)
}

// ---- sync ------------------------------------------------------------------------

/// SHA-256 of a record's canonical JSON: what a pushed change must carry.
/// The same code as HQ's, so both sides agree byte for byte.
#[wasm_bindgen(js_name = contentSha256)]
pub fn content_sha256(#[wasm_bindgen(unchecked_param_type = "Visit | SampleFollowUp")] record: JsValue) -> Result<String, JsValue> {
    let value: serde_json::Value = from_js(record).map_err(|e| js_error(&e))?;
    Ok(crate::sync::content_sha256(&value))
}

/// What a device signs when it finalises a record (`xuncha::sync::signed_message`).
#[wasm_bindgen(js_name = recordSigningMessage)]
pub fn record_signing_message(record_id: &str, sha256: &str) -> String {
    crate::sync::signed_message(record_id, sha256)
}

/// The sync protocol version this core speaks.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    crate::sync::PROTOCOL_VERSION
}

/// The one description of the record: every form field per part of a visit and
/// per subtype, with labels, inputs, options and what validation requires; and
/// the words for the core's other concepts. The app renders this.
#[wasm_bindgen(js_name = formCatalogue, unchecked_return_type = "FormCatalogue")]
pub fn form_catalogue() -> JsValue {
    // Built natively and shipped as JSON: the builder and its serde code stay out of the wasm.
    js_sys::JSON::parse(crate::form::CATALOGUE_JSON).expect("the shipped catalogue is JSON (tests/form_catalogue.rs)")
}

// ---- on-site documents -----------------------------------------------------------

thread_local! {
    /// The document templates in use: the built-in ones until HQ sends newer ones.
    static ACTIVE_TEMPLATES: std::cell::RefCell<Option<crate::documents::TemplateSet>> = const { std::cell::RefCell::new(None) };
}

#[derive(Default, crate::decode::FromValue)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct DocumentOptions {
    bureau: Option<String>,
    region: Option<String>,
    follow_ups: Vec<serde_json::Value>,
}

/// The documents a finalised visit needs (现场笔录, orders, 抽样单, 封条, 送达回证),
/// made under the templates in use; those lacking a required element are in
/// `refused` with the problems. Throws `XunchaError` `NOT_FINALISED` for a draft.
#[wasm_bindgen(js_name = visitDocuments, unchecked_return_type = "DocumentSet")]
pub fn visit_documents(
    #[wasm_bindgen(unchecked_param_type = "Visit")] visit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: DocumentOptions = read_options(Some(options)).map_err(|e| js_error(&e))?;
    let value: serde_json::Value = from_js(visit).map_err(|e| js_error(&e))?;
    let visit: crate::Visit = crate::decode::decode_trusted(value.clone()).ok_or_else(|| js_error(&crate::documents::DocumentError::NotFinalised))?;
    let follow_ups = follow_ups_of(opts.follow_ups);
    let as_of = visit.started_at.map(|t| t.date_naive()).ok_or_else(|| js_error(&crate::documents::DocumentError::NotFinalised))?;
    let evaluation = with_rulebook(|book| crate::evaluate::evaluate_visit(&visit, &follow_ups, book, as_of));
    let set = ACTIVE_TEMPLATES.with(|cell| {
        let active = cell.borrow();
        crate::documents::make_documents(
            &value,
            &evaluation,
            active.as_ref().unwrap_or_else(|| crate::documents::TemplateSet::builtin()),
            &crate::documents::Issuer { bureau: opts.bureau.clone(), region: opts.region.clone() },
        )
    });
    set.map(|s| to_js(&s)).map_err(|e| js_error(&e))
}

/// The version of the document templates in use (the built-in ones until HQ sends others).
#[wasm_bindgen(js_name = documentTemplatesVersion)]
pub fn document_templates_version() -> String {
    ACTIVE_TEMPLATES.with(|cell| cell.borrow().as_ref().map(|t| t.version.clone())).unwrap_or_else(|| crate::documents::TemplateSet::builtin().version.clone())
}

/// Replace the document templates in use (JSON text from HQ). A set that leaves
/// out an element the law requires is refused whole (`TEMPLATES_INVALID`, with
/// every reason in `details`), and the one in use stays. Returns its version.
#[wasm_bindgen(js_name = loadDocumentTemplates)]
pub fn load_document_templates(json: &str) -> Result<String, JsValue> {
    install_panic_hook();
    let set = crate::documents::TemplateSet::from_json(json).map_err(|e| js_error(&e))?;
    let version = set.version.clone();
    ACTIVE_TEMPLATES.with(|cell| *cell.borrow_mut() = Some(set));
    Ok(version)
}
