// Compiled with `tsc --strict --noEmit` against the generated declarations:
// typical use must type-check, and misuse must not (see the @ts-expect-error lines).
import init, {
  validateVisit, validateVisits, finaliseVisit, amendVisit, newId, problemCodes,
  evaluateVisit, loadRulebook, addWorkingDays, rules,
  summarise, summariseJson, SummaryBuilder, reportParagraphs, summaryCsv, trendChartSvg, findingsChartSvg, dashboard,
  type Summary, type SummaryQuery, type ReportParagraphs, type Rate, type Dashboard,
  type Visit, type ValidationReport, type Problem, type XunchaError, type ProblemCode,
  type Evaluation, type Finding, type DeadlineStatus, type RulebookInfo,
} from "../../pkg/console/xuncha_console.js";

export async function example(): Promise<void> {
  await init();
  const visit: Visit = {
    schemaVersion: 1,
    id: newId(),
    status: "draft",
    operator: { name: "某超市", address: "某路 1 号", creditCode: "91350100M000100Y43" },
    officers: [{ name: "陈某", certificateNo: "1" }, { name: "王某", certificateNo: "2" }],
    startedAt: "2026-03-10T09:30:00+08:00",
    instrumentChecks: [{ id: newId(), instrumentType: "priceScale", accuracyClass: "III", maxG: 15000, eG: 5, weighings: [{ loadG: 10000, readingG: 10015 }] }],
    samples: [{ id: newId(), category: "food", sealNos: ["A"] }],
  };
  const report: ValidationReport = validateVisit(visit);
  const firstCode: ProblemCode | undefined = report.problems[0]?.code;
  const zh: string | undefined = report.problems[0]?.message.zh;
  const reports: ValidationReport[] = validateVisits([visit], { now: "2026-03-10T18:00:00+08:00" });
  try {
    const done: Visit = finaliseVisit(visit, { confirmedWarnings: [{ code: "CREDIT_CODE_CHECK", path: "/operator/creditCode" }] });
    const amended: Visit = amendVisit(done, "读数记录有误");
    void amended;
  } catch (e) {
    const err = e as XunchaError;
    const blocked: boolean = err.code === "FINALISE_BLOCKED";
    const problems: Problem[] = err.problems;
    void blocked; void problems;
  }
  const severities = problemCodes().map((c) => c.severity);
  const evaluation: Evaluation | null = evaluateVisit(visit, { asOf: "2026-03-10", followUps: [] });
  const first: Finding | undefined = evaluation?.findings[0];
  const law: string | undefined = first?.basis[0]?.law.zh;
  const rectifyBy: string | undefined = first?.rectifyBy;
  const statuses: DeadlineStatus[] = evaluation?.deadlines.map((d) => d.status) ?? [];
  const info: RulebookInfo = loadRulebook("{}");
  const due: string = addWorkingDays("2026-02-12", 5).value;
  const codes: string[] = rules().map((r) => r.code);
  void law; void rectifyBy; void statuses; void info; void due; void codes;
  const query: SummaryQuery = { period: "2026-H1", asOf: "2026-07-10", groupBy: "market", scope: { kind: "sampling" } };
  const summary: Summary = summarise([visit], { query, rectifications: [{ visitId: "x", findingCode: "PRICE.NO_TAG", path: "/priceChecks/0", rectifiedOn: "2026-01-17" }] });
  const disposal: Rate = summary.figures.sampling.disposalRate;
  const shown: string = disposal.display;
  const perMonth: number[] = summary.months.map((m) => m.visits);
  const fromText: Summary = JSON.parse(summariseJson(JSON.stringify([visit]), JSON.stringify({ query })));
  const live = new SummaryBuilder(query);
  live.upsert(visit);
  live.upsert(visit, []);
  const counted: number = live.counted();
  const paragraphs: ReportParagraphs = reportParagraphs(live.summary());
  const total: string = paragraphs.total.zh;
  const csv: string = summaryCsv(summary);
  const svg: string = trendChartSvg(summary) + findingsChartSvg(summary);
  const board: Dashboard = dashboard([visit], { query });
  const boardCharts: string = board.trendChart + board.findingsChart + board.report.total.zh + board.figures.visits;
  void shown; void perMonth; void fromText; void counted; void total; void csv; void svg; void boardCharts;
  // @ts-expect-error: periods are text like "2026-H1"
  summarise([visit], { query: { period: 2026, asOf: "2026-07-10" } });
  // @ts-expect-error: a finding's level is violation or notice
  const level: Finding["level"] = "error";
  void level;
  void firstCode; void zh; void reports; void severities;

  // @ts-expect-error: an unknown instrument type is not a Visit
  const bad: Visit = { instrumentChecks: [{ instrumentType: "kitchenScale" }] };
  // @ts-expect-error: options are typed
  validateVisit(bad, { clock: 1 });
  // @ts-expect-error: error codes are a closed set
  const c: XunchaError["code"] = "OOPS";
  void c;
}
