// Types of the xuncha core's JavaScript API. Field names and string unions
// mirror the Rust record model exactly; tests/typescript_types.rs checks that.
// Dates are "YYYY-MM-DD"; timestamps are RFC 3339 with an offset.

/** A calendar date, "YYYY-MM-DD". */
export type DateString = string;
/** An RFC 3339 timestamp with offset, e.g. "2026-03-10T09:30:00+08:00". */
export type Timestamp = string;

/** Chinese first, English second. */
export interface Text { zh: string; en: string; }

export type Severity = "error" | "warning";

/** Stable data-problem codes (see docs/problem-codes.md). */
export type ProblemCode =
  | "MALFORMED_JSON"
  | "NOT_AN_OBJECT"
  | "WRONG_TYPE"
  | "INVALID_VALUE"
  | "UNKNOWN_FIELD"
  | "SCHEMA_VERSION"
  | "BAD_ID"
  | "TOO_LARGE"
  | "MORE_PROBLEMS"
  | "REQUIRED"
  | "NEGATIVE"
  | "NOT_POSITIVE"
  | "OUT_OF_RANGE"
  | "IN_FUTURE"
  | "DATE_ORDER"
  | "DUPLICATE"
  | "BAD_HASH"
  | "CREDIT_CODE_FORMAT"
  | "CREDIT_CODE_CHECK"
  | "TOO_FEW_OFFICERS"
  | "HANDOVER_MISSING"
  | "HANDOVER_BOTH"
  | "DOCUMENT_ELEMENT_MISSING"
  | "ATTACHMENT_NOT_LISTED"
  | "UNREACHABLE_WITH_CHECKS" | "NO_CHECKS"
  | "LONG_VISIT"
  | "OUTSIDE_CHINA"
  | "AMENDS_ITSELF"
  | "STATUS_CHANGE"
  | "ELEMENT_NOT_FOR_SUBJECT"
  | "TAG_INCONSISTENT"
  | "ZERO_PRICE"
  | "TRANSACTION_OUTSIDE_WINDOW"
  | "LOAD_ABOVE_MAX"
  | "LOAD_BELOW_MIN"
  | "MIN_ABOVE_MAX"
  | "INTERVALS_OUTSIDE_CLASS"
  | "TESTS_FOR_OTHER_TYPE"
  | "PRODUCTION_AFTER_SAMPLING"
  | "PRODUCT_NOT_IN_CATEGORY"
  | "NOT_TO_BE_SAMPLED"
  | "LOT_SMALLER_THAN_SAMPLE"
  | "LAB_LIMIT_MISSING"
  | "LAB_UNIT_MISSING"
  | "UNIT_MISMATCH";

/** Something wrong with the record itself (not a compliance finding). */
export interface Problem {
  code: ProblemCode;
  severity: Severity;
  /** JSON Pointer of the field, relative to the record; "" is the record. */
  path: string;
  message: Text;
}

export interface ValidationReport {
  /** No errors (warnings may remain, to be confirmed). */
  ok: boolean;
  errorCount: number;
  warningCount: number;
  problems: Problem[];
}

export interface ProblemCodeInfo { code: ProblemCode; severity: Severity; meaning: Text; }

export interface ValidateOptions {
  /** The reference time; defaults to the device clock. */
  now?: Timestamp;
}

export interface FinaliseOptions extends ValidateOptions {
  /** Warnings the officer has confirmed. */
  confirmedWarnings?: ConfirmedWarning[];
}

export type XunchaErrorCode =
  | "BAD_OPTIONS" | "INPUT_NOT_JSON" | "NO_RANDOMNESS" | "BAD_DATE" | "RULEBOOK_INVALID" | "BAD_PERIOD"
  | "NOT_A_VISIT" | "ALREADY_FINALISED" | "FINALISE_BLOCKED" | "NEEDS_CONFIRMATION"
  | "NOT_FINALISED" | "REASON_REQUIRED" | "BAD_ID";

/** What the core throws: a real Error with a stable code. */
export interface XunchaError extends Error {
  name: "XunchaError";
  code: XunchaErrorCode;
  messages: Text;
  problems: Problem[];
  /** Further reasons as text (e.g. every reason a rulebook was refused). */
  details: string[];
}

// ---- records -------------------------------------------------------------

export type RecordStatus = "draft" | "finalised" | "discarded";

export interface Visit {
  schemaVersion?: number;
  id?: string;
  status?: RecordStatus;
  amends?: Amendment;
  /** The 双随机 task this visit carries out, when started from one. */
  taskId?: string;
  /** The operator could not be inspected (not found, closed): no checks, signature or documents. */
  unreachable?: Unreachable;
  operator?: Operator;
  site?: Site;
  officers?: Officer[];
  /** Certificates shown and rights told before evidence was taken (recorded in the 现场笔录). */
  notice?: Notice;
  startedAt?: Timestamp;
  endedAt?: Timestamp;
  location?: GeoPoint;
  attachments?: Attachment[];
  signature?: Signature;
  refusal?: SignatureRefusal;
  priceChecks?: PriceCheck[];
  instrumentChecks?: InstrumentCheck[];
  equipmentChecks?: EquipmentCheck[];
  samples?: Sample[];
  notes?: string;
  finalisedAt?: Timestamp;
  confirmedWarnings?: ConfirmedWarning[];
  /** Taken from HQ's leased block when finalising (see DocumentSet.unnumbered). */
  documentNumbers?: DocumentNumber[];
}

/** One document's number, printed as `{prefix}〔{year}〕第 {serial:04} 号`. */
export interface DocumentNumber { document?: string; prefix?: string; year?: number; serial?: number; }

export interface Amendment { originalId?: string; reason?: string; }

export interface Operator {
  name?: string;
  address?: string;
  /** 统一社会信用代码, or "无" with noCreditCodeReason. */
  creditCode?: string;
  noCreditCodeReason?: string;
  contactName?: string;
  contactPhone?: string;
}

export type SiteKind =
  | "farmersMarket" | "supermarket" | "shop" | "pharmacy" | "petrolStation"
  | "restaurant" | "mall" | "residentialBuilding" | "factory" | "other";

export interface Site { name?: string; address?: string; kind?: SiteKind; city?: string; marketId?: string; }

export interface Officer { name?: string; certificateNo?: string; userId?: string; }
export interface Notice { credentialsShown?: boolean; rightsTold?: boolean; recusalRequested?: boolean; }

export interface GeoPoint { lat?: number; lng?: number; accuracyM?: number; }

export interface Attachment {
  /** SHA-256 of the bytes, 64 lowercase hex digits. */
  sha256?: string;
  mediaType?: string;
  sizeBytes?: number;
  caption?: string;
  takenAt?: Timestamp;
}

export interface Signature { signerName?: string; imageSha256?: string; signedAt?: Timestamp; }

/** A refusal to sign: the note, and a recording (an attachment, audio/* or video/*) or a witness. */
export interface SignatureRefusal { note?: string; recordingSha256?: string; witnessName?: string; witnessContact?: string; }

export interface ConfirmedWarning { code: ProblemCode; path: string; }

// price tagging (明码标价)
export type PriceSubject = "goods" | "service";
export type TagElement =
  | "name" | "price" | "unit" | "specification" | "origin" | "grade" | "colour"
  | "serviceItem" | "serviceContent" | "priceOrMethod";

export interface PriceCheck {
  id?: string;
  subject?: PriceSubject;
  itemName?: string;
  tagPresent?: boolean;
  elementsSeen?: TagElement[];
  markedPrice?: number;
  pricingUnit?: string;
  chargedPrice?: number;
  otherMarkedPrices?: number[];
  comparison?: ComparisonPrice;
  gift?: Gift;
  settlementListGiven?: boolean;
  unmarkedFees?: number;
  photoSha256?: string[];
  notes?: string;
}

export interface ComparisonPrice {
  price?: number;
  detailsShown?: boolean;
  shownSince?: DateString;
  transactions?: Transaction[];
}

export interface Transaction { on?: DateString; price?: number; }

export interface Gift { description?: string; nameShown?: boolean; quantityShown?: boolean; }

// metrology (计量器具)
export type InstrumentType =
  | "priceScale" | "scale" | "fuelDispenser" | "taxiMeter"
  | "waterMeter" | "gasMeter" | "electricityMeter" | "other";
export type AccuracyClass = "III" | "IIII";
export type SealState = "intact" | "broken" | "missing";

export interface InstrumentCheck {
  id?: string;
  instrumentType?: InstrumentType;
  serialNo?: string;
  manufacturer?: string;
  model?: string;
  tradeUse?: boolean;
  accuracyClass?: AccuracyClass;
  maxG?: number;
  minG?: number;
  eG?: number;
  verification?: Verification;
  seal?: SealState;
  cheatingDeviceFound?: boolean;
  installedOn?: DateString;
  nominalDiameterMm?: number;
  weighings?: Weighing[];
  deliveries?: Delivery[];
  distanceRuns?: DistanceRun[];
  photoSha256?: string[];
  notes?: string;
}

export interface Verification {
  markPresent?: boolean;
  certificateNo?: string;
  verifiedOn?: DateString;
  validUntil?: DateString;
  failed?: boolean;
}

export interface Weighing { loadG?: number; readingG?: number; }
export interface Delivery { actualL?: number; indicatedL?: number; }
export interface DistanceRun { actualKm?: number; indicatedKm?: number; }

// special equipment (特种设备)
export type EquipmentKind =
  | "lift" | "boiler" | "pressureVessel" | "gasCylinder" | "pressurePiping"
  | "liftingMachinery" | "passengerRopeway" | "amusementRide" | "inPlantVehicle";
export type InspectionResult = "pass" | "fail";

export interface EquipmentCheck {
  id?: string;
  kind?: EquipmentKind;
  registrationNo?: string;
  equipmentCode?: string;
  firstUsedOn?: DateString;
  manufacturedOn?: DateString;
  manufacturingStandard?: string;
  lastInspectionOn?: DateString;
  nextInspectionDue?: DateString;
  lastInspectionResult?: InspectionResult;
  lastMaintenanceOn?: DateString;
  maintenanceUnitLicensed?: boolean;
  maintenanceUnit?: string;
  safetyGrade?: number;
  inUse?: boolean;
  scrapped?: boolean;
  operators?: EquipmentOperator[];
  photoSha256?: string[];
  notes?: string;
}

export interface EquipmentOperator { name?: string; certificateNo?: string; }

// sampling (抽检)
export type SampleCategory = "food" | "industrial";
export type SealView = "noObjection" | "objection";
/** The product categories bureaus report sampling by; each within one SampleCategory. */
export type ProductCategory =
  | "grain" | "edibleOil" | "meat" | "eggs" | "aquaticProducts" | "vegetables" | "fruit" | "dairy" | "beverages" | "liquor" | "condiments" | "pastrySnacks" | "otherFood"
  | "clothingFootwear" | "childrenElderly" | "householdAppliances" | "electricalProducts" | "buildingMaterials" | "vehicles" | "refinedOil" | "farmInputs" | "dailyGoods" | "otherIndustrial";

export interface Sample {
  id?: string;
  sampleNo?: string;
  category?: SampleCategory;
  productCategory?: ProductCategory;
  productName?: string;
  brand?: string;
  specification?: string;
  batchNo?: string;
  productionDate?: DateString;
  shelfLifeDays?: number;
  onSale?: boolean;
  lotSize?: number;
  testQuantity?: number;
  backupQuantity?: number;
  quantityUnit?: string;
  sealNos?: string[];
  samplers?: string[];
  sealsSignedByOperator?: boolean;
  /** The sampled unit's view on the sealing (the objection itself goes in notes). */
  sealView?: SealView;
  purchasePrice?: number;
  producerName?: string;
  producerAddress?: string;
  markedTrialOrSample?: boolean;
  exportOnly?: boolean;
  photoSha256?: string[];
  notes?: string;
}

export interface SampleFollowUp {
  schemaVersion?: number;
  id?: string;
  visitId?: string;
  sampleId?: string;
  sentToLabOn?: DateString;
  labReceivedOn?: DateString;
  labResult?: LabResult;
  operatorNotifiedOn?: DateString;
  recheckRequestedOn?: DateString;
  disposal?: Disposal;
  closedOn?: DateString;
}

export interface LabResult { reportNo?: string; labName?: string; reportedOn?: DateString; items?: LabItem[]; }

export type LimitKind = "max" | "min";
export type Verdict = "pass" | "fail";

export interface LabItem {
  name?: string;
  value?: number;
  unit?: string;
  limit?: number;
  limitUnit?: string;
  limitKind?: LimitKind;
  standard?: string;
  verdict?: Verdict;
}

export type DisposalAction = "withdrawnFromSale" | "recalled" | "caseOpened" | "orderedToRectify";

export interface Disposal { actions?: DisposalAction[]; completedOn?: DateString; }

// ---- compliance ------------------------------------------------------------

export interface EvaluateOptions {
  /** The day deadlines are judged on; defaults to today. */
  asOf?: DateString;
  /** Lab / 复检 / disposal records of the visit's samples. */
  followUps?: SampleFollowUp[];
  /** From `rectificationsOf`: these meet the visit's rectification deadlines. */
  rectifications?: Rectification[];
}

export type CheckKind = "price" | "metrology" | "equipment" | "sampling";
/** A violation makes the visit non-compliant; a notice is for follow-up. */
export type FindingLevel = "violation" | "notice";
export type Measure =
  | "orderRectify" | "orderRectifyByDeadline" | "orderStopUse" | "openCase"
  | "withdrawFromSale" | "disposal" | "correctProcedure" | "remind";
/** H read in the primary text; M secondary sources; L recalled, to be verified. */
export type Confidence = "H" | "M" | "L";

export interface LegalBasis { law: Text; article: Text; edition?: string; confidence: Confidence; }

export interface Finding {
  /** The rule's stable code, e.g. "MET.SCALE_MPE". */
  code: string;
  kind: CheckKind;
  level: FindingLevel;
  /** JSON Pointer of the check (or test point) in the visit. */
  path: string;
  itemId?: string;
  title: Text;
  message: Text;
  basis: LegalBasis[];
  penalty: LegalBasis[];
  measures: Measure[];
  /** 整改期限 */
  rectifyBy?: DateString;
  facts: Record<string, unknown>;
}

export type DeadlineStatus = "open" | "overdue" | "metOnTime" | "metLate" | "lapsed";
export type DeadlineKind = "rectification" | "labDelivery" | "labReport" | "recheckWindow" | "disposal" | "publication";

export interface Deadline {
  code: string;
  kind: DeadlineKind;
  path: string;
  itemId?: string;
  title: Text;
  /** The day counting starts from (not itself counted). */
  starts: DateString;
  due: DateString;
  doneOn?: DateString;
  status: DeadlineStatus;
  workingDays?: number;
  calendarDays?: number;
  /** Counted partly outside the years with holiday data (weekends only). */
  calendarAssumed: boolean;
}

export interface Evaluation {
  visitId?: string;
  visitDate?: DateString;
  asOf: DateString;
  /** No violation (notices do not count). */
  compliant: boolean;
  findings: Finding[];
  deadlines: Deadline[];
  rulebookVersion: string;
  notes: Text[];
}

export interface RulebookInfo {
  version: string;
  published: DateString;
  builtin: boolean;
  ruleCount: number;
  calendarYears: number[];
}

export interface Counted<T> { value: T; outsideKnownYears: boolean; }

export interface Rule {
  code: string;
  kind: CheckKind;
  level: FindingLevel;
  title: Text;
  basis: LegalBasis[];
  penalty: LegalBasis[];
  measures: Measure[];
  rectifyDays?: number;
  versions: RuleVersion[];
}

export interface RuleVersion {
  from: DateString;
  until?: DateString;
  appliesTo?: string[];
  basis: LegalBasis[];
  values: RuleParams;
  note?: string;
}

/** Rule parameters (each rule uses a few; see docs/rules.md). */
export interface RuleParams {
  windowDays?: number;
  bandsIII?: [number, number][];
  bandsIIII?: [number, number][];
  mpePercent?: number;
  maxSpreadPercent?: number;
  lowPercent?: number;
  highPercent?: number;
  lifeByDn?: [number, number][];
  lifeYears?: number;
  periodMonths?: number;
  graceDays?: number;
  warnMonths?: number;
  scheduleYears?: number[];
  yearlyAfterYears?: number;
  firstWithinMonths?: number;
  periodMonthsByGrade?: [number, number][];
  maxDays?: number;
  designLifeYears?: number;
  extensionYears?: number;
  standards?: string[];
  olderLifeYears?: number;
  workingDays?: number;
  calendarDays?: number;
  minCount?: number;
}

// ---- summaries -------------------------------------------------------------

export interface Scope {
  /** A market / mall (site.marketId). */
  market?: string;
  /** An officer: certificate number or user id. */
  officer?: string;
  /** An operator: credit code, or name. */
  operator?: string;
  /** One kind of check (the other kinds' figures are left out). */
  kind?: CheckKind;
}

export type GroupBy = "market" | "officer" | "operator" | "kind" | "month";

export interface SummaryQuery {
  /** "2026-03", "2026-Q1", "2026-H1", "2026" or "2026-01-01/2026-06-30". */
  period: string;
  scope?: Scope;
  /** Rectifications and disposals are judged as of this day. */
  asOf: DateString;
  groupBy?: GroupBy;
  /** How many top violation types (default 5). */
  top?: number;
}

/** A re-inspection that closed a finding. */
export interface Rectification { visitId: string; findingCode: string; path: string; rectifiedOn: DateString; }

export interface SummariseOptions {
  query: SummaryQuery;
  followUps?: SampleFollowUp[];
  rectifications?: Rectification[];
}

/** `count`: a field of `Figures.counts` (e.g. "violations", "rectOnTime"); `group`: a group's key. */
export interface RecordsBehindOptions extends SummariseOptions {
  count: keyof Counts;
  group?: string;
}

/** What one record adds to the figures, for any query (computed by HQ when the record or its follow-ups arrive).
 * `equipmentKinds`: [unit index, index in the equipment kinds] for each unit whose kind is given. */
export interface Digest {
  id: string; amends?: string; status: RecordStatus; unreachable?: boolean; startedOn?: DateString; finalisedAt?: Timestamp;
  date?: DateString; market?: string; site?: string; operator: string; operatorName: string; officers?: DigestOfficer[];
  priceChecks: number; instruments: number; equipment: number; equipmentKinds?: [number, number][]; samples?: DigestSample[];
  findings?: DigestFinding[]; disposals?: DigestLimit[]; rulebook: string;
}
export interface DigestOfficer { certificateNo: string; name: string; userId?: string; }
/** `category`: index in the product categories (their number: none given). */
export interface DigestSample { category: number; hasResult: boolean; }
/** `unlessDoneBy`: the finding holds only as of a later day (a limit not met yet). */
export interface DigestFinding {
  code: string; kind: CheckKind; notice?: boolean; item?: number; toCase?: boolean;
  rectifyBy?: DateString; rectifiedOn?: DateString; unlessDoneBy?: DateString;
}
export interface DigestLimit { due: DateString; done?: DateString; }
/** A page of digests as HQ serves it, without the digests: `count` read, `total` the bureau holds. */
export interface DigestPageHead { rulebook: string; next: number; more: boolean; total: number; count: number; }

/** One record behind a figure: what the visit adds to the count. */
export interface RecordShare { visitId: string; date: DateString; count: number; }

/** A rate with numerator and denominator; over zero: display "—", no percent. */
export interface Rate { numerator: number; denominator: number; percent?: number; display: string; }

export interface CodeCount { code: string; title: Text; count: number; }

export interface Counts {
  visits: number; inMarket: number; compliant: number; withViolations: number; violations: number; notices: number;
  officerDeployments: number; priceChecks: number; priceViolations: number;
  instruments: number; instrumentsFailed: number; equipment: number; equipmentHazards: number; equipmentHazardsRectified: number;
  samples: number; samplesWithResult: number; samplesFailed: number; samplesDisposed: number; disposalsOpen: number; disposalsOverdue: number;
  toCase: number; rectOrdered: number; rectOpen: number; rectOnTime: number; rectLate: number; rectOverdue: number;
}

export interface Figures {
  /** 家次 */
  visits: number;
  /** 家 */
  operators: number;
  /** 个市场 (distinct markets of the visits) */
  markets: number;
  /** 人次 */
  officerDeployments: number;
  compliantVisits: number;
  visitsWithViolations: number;
  complianceRate: Rate;
  violations: number;
  /** Violations whose measure is 立案调查 (转化案件) */
  casesToOpen: number;
  notices: number;
  price: PriceFigures;
  metrology: MetrologyFigures;
  equipment: EquipmentFigures;
  sampling: SamplingFigures;
  rectification: RectificationFigures;
  topViolations: CodeCount[];
  counts: Counts;
}

export interface PriceFigures { checks: number; violations: number; byType: CodeCount[]; }
/** failedOperators: 查处使用不合格计量器具的商家（家） */
export interface MetrologyFigures { instruments: number; failed: number; failedOperators: number; failureRate: Rate; byType: CodeCount[]; }
export interface EquipmentFigures { units: number; hazards: number; rectified: number; rectificationRate: Rate; byType: CodeCount[]; byKind: KindFigures[]; }
/** One kind of special equipment: units checked, hazards found. */
export interface KindFigures { kind: EquipmentKind; label: Text; units: number; hazards: number; }
export interface SamplingFigures {
  batches: number; withResult: number; pendingResults: number; failed: number; failureRate: Rate;
  disposed: number; disposalRate: Rate; disposalsOpen: number; disposalsOverdue: number;
  /** By product category, most batches first; `category` absent for samples recorded without one. */
  byCategory: CategoryFigures[];
}
export interface CategoryFigures { category?: ProductCategory; label: Text; batches: number; failed: number; pendingResults: number; }
export interface RectificationFigures { ordered: number; open: number; onTime: number; late: number; overdue: number; onTimeRate: Rate; }

export interface Period { name: string; from: DateString; to: DateString; label: Text; }

export interface MonthPoint {
  month: string; visits: number; violations: number; visitsWithViolations: number;
  instruments: number; instrumentsFailed: number; samples: number; samplesFailed: number;
}

export interface GroupSummary { key: string; label: string; figures: Figures; }

export interface Summary {
  period: Period;
  scope: Scope;
  asOf: DateString;
  rulebookVersion: string;
  figures: Figures;
  months: MonthPoint[];
  groupBy?: GroupBy;
  groups: GroupSummary[];
  /** Drafts in the period, not counted. */
  drafts: number;
  /** Records replaced by a later amendment, not counted. */
  superseded: number;
}

export interface ReportParagraphs { total: Text; price: Text; metrology: Text; equipment: Text; sampling: Text; }
/** The tablet's dashboard in one call (`dashboard`): the summary, its paragraphs and both charts (SVG documents). */
export interface Dashboard { figures: Figures; report: ReportParagraphs; trendChart: string; findingsChart: string; }

/** A bureau's report template: each paragraph's variants, the first whose `when` holds written. */
export interface ReportTemplate { version: string; note?: string; total: TemplateVariant[]; price: TemplateVariant[]; metrology: TemplateVariant[]; equipment: TemplateVariant[]; sampling: TemplateVariant[]; }
/** `when`: "figure = 0" or "figure > 0"; texts name figures as {name} and clauses as {?name|…}. */
export interface TemplateVariant { when?: string; zh: string; en: string; }
/** A template file checked: the template, or every reason it cannot be used. */
export interface TemplateCheck { template?: ReportTemplate; problems: Text[]; }
export interface TemplateFigure { name: string; meaning: Text; }
export interface ReportTemplateTerms { builtin: ReportTemplate; figures: TemplateFigure[]; }

// ---- sync protocol (HQ ⇄ tablet) ---------------------------------------------

export type RecordKind = "visit" | "sampleFollowUp" | "delivery" | "rectification";

export interface Change {
  kind: RecordKind;
  /** The record's id (equal to record.id). */
  id: string;
  /** The revision this change was made from; absent for a new record. */
  baseRevision?: string;
  /** The new revision (a UUID made on the device). */
  revision: string;
  /** contentSha256(record) */
  sha256: string;
  record: Visit | SampleFollowUp | DeliveryRecord | RectificationRecord;
  /** The device's signature of a finalised record's hash (recordSigningMessage). */
  signature?: RecordSignature;
}

/** keyId: SHA-256 (hex) of the public key's SPKI bytes; value: base64 of the signature (ECDSA P-256: r ‖ s). */
export interface RecordSignature { keyId: string; algorithm: string; value: string; }

export interface PushRequest { protocolVersion: number; deviceId: string; changes: Change[]; }

export type ChangeStatus = "accepted" | "alreadyApplied" | "rejected" | "conflict";

export interface ChangeResult {
  id: string;
  revision: string;
  status: ChangeStatus;
  problems: Problem[];
  currentRevision?: string;
  /** A refusal not about the data, e.g. "FORBIDDEN". */
  reason?: string;
  message?: Text;
  /** Attachments the record lists that HQ does not hold yet (SHA-256): upload them. */
  missingAttachments?: string[];
}

export interface PushResponse { protocolVersion: number; results: ChangeResult[]; }

export interface PullRequest { protocolVersion: number; cursor?: string; limit?: number; rulebookVersion?: string; templatesVersion?: string; tasksVersion?: string; }

export interface PulledChange { kind: RecordKind; id: string; revision: string; sha256: string; record: Visit | SampleFollowUp | DeliveryRecord | RectificationRecord; }

export interface PullResponse {
  protocolVersion: number;
  changes: PulledChange[];
  nextCursor: string;
  more: boolean;
  /** HQ's rulebook file when the device runs another version: give it to loadRulebook. */
  rulebook?: unknown;
  /** HQ's document templates (what `loadDocumentTemplates` takes), when the device runs another version. */
  templates?: unknown;
  /** The officer's 双随机 tasks, when the device holds another version of the list. */
  tasks?: TaskList;
}

/** The officer's 双随机 tasks as HQ sends them, with the list's version. */
export interface TaskList { version: string; tasks: Task[]; }

/** How a form value is entered (see `formCatalogue`). */
export type FieldInput = "text" | "code" | "tel" | "number" | "integer" | "date" | "bool" | "choice" | "multi" | "textList" | "numberList" | "rows" | "recording";

/** One option of a choice: the value stored in the record and its label. */
export interface FormChoice {
  value: string;
  label: Text;
  /** The subtypes this option belongs to (absent: all). */
  appliesTo?: string[];
}

export interface FormField {
  /** Dotted path from the item (or table row) to the value: "verification.validUntil". */
  path: string;
  label: Text;
  input: FieldInput;
  unit?: string;
  hint?: Text;
  options?: FormChoice[];
  /** The subtypes the field belongs to (absent: all). */
  appliesTo?: string[];
  /** Validation requires it whenever its item (row, group) is recorded. */
  required: boolean;
  /** Required for these subtypes only. */
  requiredFor?: string[];
  min?: number;
  max?: number;
  /** The columns of a table (`input: "rows"`). */
  rows?: FormField[];
}

/** One part of the visit: a header part, one of the four kinds of check, or the closing parts. */
export interface FormSection {
  /** The visit's member holding it ("" for the visit itself). */
  key: string;
  kind?: CheckKind;
  title: Text;
  /** A list of items, each a card. */
  repeated: boolean;
  /** The path of the field choosing the subtype. */
  subtype?: string;
  fields: FormField[];
}

export interface FormInternal { path: string; reason: string; }

export interface FormVocabulary {
  checkKinds: FormChoice[];
  findingLevels: FormChoice[];
  measures: FormChoice[];
  deadlineKinds: FormChoice[];
  deadlineStatuses: FormChoice[];
  verdicts: FormChoice[];
}

/** The one description of the record, from the core: the app's forms and labels. */
export interface FormCatalogue {
  schemaVersion: number;
  protocolVersion: number;
  sections: FormSection[];
  /** Members no form sets, and why. */
  internal: FormInternal[];
  /** A sample's follow-up (lab result, re-test, disposal), entered by staff. */
  followUp: FormSection;
  followUpInternal: FormInternal[];
  vocabulary: FormVocabulary;
}

// ---- on-site documents (现场文书) ------------------------------------------------

export type DocumentKind = "onSiteRecord" | "correctionOrder" | "equipmentDirective" | "samplingRecord" | "sealLabel" | "deliveryReceipt";

/** Who issues the documents, and which province's templates apply (national otherwise). */
export interface DocumentOptions { bureau?: string; region?: string; followUps?: SampleFollowUp[]; }

export interface DocumentSigner { role: Text; name?: string; imageSha256?: string; signedAt?: string; }

export type DocumentValue =
  | { type: "text"; text: string }
  | { type: "lines"; lines: string[] }
  | { type: "table"; columns: Text[]; rows: string[][] }
  | { type: "statement"; text: Text }
  | { type: "signatures"; signers: DocumentSigner[] };

/** One element of a document, in the template's order. */
export interface DocumentPart { element: string; label: Text; value: DocumentValue; }

export interface VisitDocument {
  kind: DocumentKind;
  /** Unique within the visit: the kind, then "/" and the sample's index for per-sample documents. */
  key: string;
  title: Text;
  /** The template's region and the day it took effect. */
  template: string;
  copies?: number;
  /** The document number (文号) as printed, once the visit has one for it. */
  number?: string;
  visitId?: string;
  /** SHA-256 of the finalised record the document rests on. */
  recordSha256: string;
  parts: DocumentPart[];
}

/** A document the visit needs that lacks a required element: the problems say which, at the field to fill. */
export interface RefusedDocument { kind: DocumentKind; key: string; title: Text; problems: Problem[]; }

export interface DocumentSet {
  documents: VisitDocument[];
  refused: RefusedDocument[];
  templatesVersion: string;
  /** Keys of the documents that take a number and have none yet. */
  unnumbered: string[];
  /** Keys of the documents handed to the party (each marked when delivered). */
  toHandOver: string[];
}

export type DeliveryMethod = "direct" | "leftAfterRefusal" | "electronic";

/** Which of a visit's documents were handed over, when and how (送达): revised as each is marked. */
export interface DeliveryRecord {
  schemaVersion?: number;
  id?: string;
  visitId?: string;
  deliveries?: DocumentDelivery[];
  /** Photos or videos of a refused delivery left at the place. */
  attachments?: Attachment[];
}

/** One document handed over (a fuel dispenser's test `Delivery` is another thing). */
export interface DocumentDelivery {
  document?: string;
  number?: string;
  method?: DeliveryMethod;
  deliveredAt?: Timestamp;
  recipient?: string;
  evidenceSha256?: string;
  addressConfirmed?: boolean;
  address?: string;
}

/** `needs`: the field the method requires besides the time. */
export interface DeliveryMethodInfo { value: DeliveryMethod; label: Text; needs: "recipient" | "evidenceSha256" | "address"; basis: string; }

// ---- rectifications (src/rectification/) ------------------------------------------------

export type RectificationMethod = "onSite" | "documentary";
export type RectificationOutcome = "rectified" | "notRectified";

/** A visit's findings re-inspected (复查) by an officer, or closed by staff on documents. */
export interface RectificationRecord {
  schemaVersion?: number;
  id?: string;
  visitId?: string;
  method?: RectificationMethod;
  checkedOn?: DateString;
  /** The documents and why they suffice (required for "documentary"). */
  reason?: string;
  items?: RectificationItem[];
  attachments?: Attachment[];
}

/** One finding checked: by its rule code and path in the visit. */
export interface RectificationItem {
  findingCode?: string;
  path?: string;
  outcome?: RectificationOutcome;
  note?: string;
  photoSha256?: string[];
}

export interface RectificationTerms {
  methods: { value: RectificationMethod; label: Text }[];
  outcomes: { value: RectificationOutcome; label: Text }[];
}

// ---- 双随机 draw (src/draw/) ------------------------------------------------------

export interface DrawInputs {
  plan: string;
  /** The day of the draw: sector windows are counted back from it. */
  drawDay: DateString;
  matters: DrawMatter[];
  targets: DrawTarget[];
  inspectors: DrawInspector[];
}

export interface DrawMatter {
  code: string; title: string; basis: string;
  checkKinds?: string[];
  /** Target categories it applies to (any); empty: every target. */
  categories?: string[];
  /** 0–1 */
  ratio: number;
  /** 0–1, not below ratio */
  keyUnitRatio: number;
  certificate?: string;
  sector?: "food" | "specialEquipment";
}

export interface DrawTarget {
  creditCode: string; name: string; address?: string; market?: string;
  categories?: string[];
  keyUnit?: boolean;
  riskClass?: string;
  recentChecks?: { on: DateString; kind: "upperLevelFood" | "postLicenceEquipment" }[];
}

export interface DrawInspector { certificateNo: string; name: string; certificates?: string[]; available: boolean; conflicts?: string[]; }

export interface DrawResult {
  algorithm: string; plan: string; drawDay: DateString;
  inputsSha256: string; seed: string; seedCommitment: string;
  matters: {
    matter: string; eligible: number; eligibleKeyUnits: number;
    picked: { creditCode: string; name: string; keyUnit: boolean; lot: string; inspectors: string[] }[];
    excluded: { creditCode: string; because: { rule: "FOOD_UPPER_LEVEL_3_MONTHS" | "EQUIPMENT_POST_LICENCE_SAME_YEAR"; on: DateString } }[];
  }[];
}

// ---- 双随机 tasks (src/draw/tasks.rs) ------------------------------------------------

export interface Task {
  /** `{plan id}:{matter code}:{credit code}` */
  id: string;
  planId: string; plan: string;
  matter: string; matterTitle: string; basis: string;
  checkKinds?: string[];
  /** The target's directory entry, as the draw read it. */
  target: DrawTarget;
  /** The two inspectors sent; empty when the draw could not staff it. */
  inspectors?: { certificateNo: string; name: string }[];
  keyUnit: boolean;
  due: DateString;
  publicationWorkingDays: number;
  /** The target's inspections this year when drawn, the last one, and whether one more passes the bureau's cap. */
  inspectedThisYear?: number;
  lastInspected?: DateString;
  overCap?: boolean;
}

export type TaskState = "unstaffed" | "notStarted" | "inProgress" | "overdue" | "done" | "unreachable";
export type TaskOutcome = "noProblem" | "orderedToCorrect" | "caseOpened" | "notFoundAtAddress" | "closed" | "notInspected";

export type UnreachableReason = "notFoundAtAddress" | "closed" | "other";
export interface Unreachable { reason?: UnreachableReason; note?: string; }

export interface TaskProgress {
  taskId: string; state: TaskState;
  visitId?: string; resultOn?: DateString; outcome?: TaskOutcome; publishBy?: DateString;
  /** The publication's time limit, once there is a result. */
  publication?: Deadline;
}

export interface PlanProgress {
  total: number; done: number; inProgress: number; overdue: number; notStarted: number; unstaffed: number; unreachable: number;
  tasks: TaskProgress[];
}

export interface TaskTerms {
  states: { value: TaskState; label: Text }[];
  outcomes: { value: TaskOutcome; label: Text }[];
  publicationColumns: string[];
}

/** A leaf that differs between two versions of a record (`recordDifferences`). */
export interface Difference { path: string; before?: unknown; after?: unknown; }
