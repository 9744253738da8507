// Chinese first, English second. `t(key)` in the current language; `tx(text)`
// for the core's { zh, en } texts.
const STRINGS = {
  appName: ["巡查", "xuncha"],
  today: ["今日检查", "Today"],
  dashboard: ["统计", "Figures"],
  settings: ["设置", "Settings"],
  newVisit: ["新建检查", "New visit"],
  signIn: ["登录", "Sign in"],
  signOut: ["退出登录", "Sign out"],
  login: ["账号", "Account"],
  password: ["密码", "Password"],
  signInOnce: ["首次使用需联网登录一次，之后可离线工作。", "Sign in once online; after that the app works offline."],
  signInFailed: ["登录失败", "Sign-in failed"],
  offlineNoSession: ["当前无网络，且本设备尚未登录过。请联网后登录。", "No network, and this device has never signed in. Connect to sign in."],
  noVisits: ["还没有检查记录。点击“新建检查”开始。", "No visits yet. Tap “New visit” to start."],
  draft: ["草稿", "Draft"],
  finalised: ["已完成", "Finalised"],
  pending: ["待同步", "Waiting to sync"],
  synced: ["已同步", "Synced"],
  rejected: ["被退回", "Rejected by HQ"],
  conflict: ["版本冲突", "Conflict"],
  online: ["在线", "Online"],
  offline: ["离线", "Offline"],
  pendingCount: ["待同步 {n} 条", "{n} waiting"],
  allSynced: ["全部已同步", "All synced"],
  waitingForSignal: ["无信号：记录已保存在本机，有信号后自动同步", "No signal: records are safe on this device and sync when signal returns"],
  photosWaiting: ["照片待上传 {n} 张", "{n} photos to upload"],
  notSaved: ["未保存", "Not saved"],
  lastSync: ["上次同步 {t}", "Last sync {t}"],
  never: ["从未", "never"],
  syncNow: ["立即同步", "Sync now"],
  syncError: ["同步未成功：{e}（数据仍在本机，会自动重试）", "Sync failed: {e} (data is safe on this device; retrying)"],
  signInAgain: ["登录已过期，请重新登录后同步（离线记录不受影响）", "Session expired: sign in again to sync (offline records are safe)"],
  addWhat: ["添加{what}", "Add {what}"],
  remove: ["删除", "Remove"],
  confirmRemove: ["再点一次确认删除", "Tap again to remove"],
  itemRemoved: ["已删除 {what}", "{what} removed"],
  undo: ["撤销", "Undo"],
  discardDraft: ["放弃草稿", "Discard draft"],
  confirmDiscard: ["再点一次确认放弃", "Tap again to discard"],
  draftDiscarded: ["草稿已放弃（记录仍保存在局里的历史中）", "Draft discarded (it stays in HQ's history)"],
  removeRow: ["删除此行", "Remove this row"],
  required: ["必填", "required"],
  chooseSubtypeFirst: ["先选择{what}，再填写其余内容", "Choose the {what} first; the other fields follow"],
  droppedFields: ["已移除不适用的内容：{what}", "Removed what no longer applies: {what}"],
  toFixShort: ["待补正 {n}", "{n} to fix"],
  findingsShort: ["发现 {n}", "{n} findings"],
  signedOut: ["未登录", "Not signed in"],
  staffAccount: ["此账号为局机关工作人员账号，不能新建现场检查；请用执法人员账号登录", "This is a staff account: visits are recorded with an officer's account"],
  compliantOf: ["{d} 家中 {n} 家合规", "{n} of {d} compliant"],
  instrumentsChecked: ["共检查 {n} 台（件）", "of {n} checked"],
  batchesSampled: ["共抽检 {n} 批次", "of {n} batches"],
  addRow: ["加一行", "Add row"],
  photos: ["照片", "Photos"],
  takePhoto: ["拍照", "Take photo"],
  viewPhoto: ["查看照片", "View photo"],
  removePhoto: ["从记录中删除此照片", "Remove this photo from the record"],
  close: ["关闭", "Close"],
  photoTooLarge: ["照片过大，无法保存", "Photo too large to keep"],
  findings: ["发现的问题", "Findings"],
  noFindings: ["暂未发现违法违规问题", "No findings so far"],
  problems: ["需要补正的内容", "To fix"],
  noProblems: ["记录完整", "Record complete"],
  basis: ["依据", "Basis"],
  measures: ["措施", "Measures"],
  rectifyBy: ["整改期限", "Rectify by"],
  signature: ["经营者签名", "Operator's signature"],
  signerName: ["签名人", "Signer"],
  clear: ["清除", "Clear"],
  confirmSignature: ["确认签名", "Confirm signature"],
  signed: ["已签名", "Signed"],
  save: ["保存", "Save"],
  saved: ["已保存到本机", "Saved on this device"],
  finalise: ["完成检查", "Finalise"],
  finaliseBlocked: ["还有 {n} 处必须补正，才能完成检查", "{n} problems must be fixed before finalising"],
  confirmWarnings: ["请逐项核实以下提示，确认后完成检查", "Check each warning below, then confirm to finalise"],
  confirmAndFinalise: ["已核实，完成检查", "Confirmed — finalise"],
  cancel: ["取消", "Cancel"],
  result: ["检查结果", "Result"],
  compliant: ["未发现违法违规行为", "No violations found"],
  violations: ["发现 {n} 项违法违规行为", "{n} violations found"],
  deadlines: ["期限", "Deadlines"],
  amend: ["更正（生成更正记录）", "Amend (a new record)"],
  amendReason: ["更正原因", "Reason for the amendment"],
  labResults: ["检验结果", "Lab results"],
  noLabResult: ["尚无检验结果", "No lab result yet"],
  problemsAtHq: ["HQ 退回了这条记录：", "HQ rejected this record:"],
  conflictHelp: ["这条记录在其他设备上也被修改过。两个版本都已保存在 HQ。", "This record was also changed elsewhere; HQ kept both versions."],
  keepMine: ["以本机版本为准", "Keep this device's version"],
  otherVersion: ["另一版本", "The other version"],
  period: ["统计期间", "Period"],
  report: ["报告段落", "Report paragraph"],
  language: ["语言 / Language", "Language / 语言"],
  storage: ["本机存储", "Storage on this device"],
  persisted: ["已申请持久保存（浏览器不会自动清除）", "Persistent (the browser will not clear it)"],
  notPersisted: ["未持久保存：存储紧张时浏览器可能清除数据，请尽快同步", "Not persistent: the browser may clear data when space is short; sync soon"],
  requestPersist: ["申请持久保存", "Ask to keep data"],
  persistGranted: ["浏览器已同意持久保存本机数据", "The browser will keep this device's data"],
  persistRefused: ["浏览器未同意持久保存（常见于未安装到主屏幕时）。请把应用添加到主屏幕，并及时同步", "The browser declined (common before the app is installed). Add it to the home screen and sync often"],
  used: ["已用 {u} / 可用 {q}", "{u} used of {q}"],
  backup: ["备份", "Backup"],
  exportBackup: ["导出全部本机数据", "Export all local data"],
  importBackup: ["导入备份", "Import a backup"],
  imported: ["已导入 {n} 条记录", "{n} records imported"],
  quotaFull: ["设备存储已满，本次未保存。请先同步或导出备份后清理空间。", "Device storage is full; nothing was saved. Sync or export a backup, then free space."],
  updateReady: ["有新版本可用（本机记录不受影响）", "A new version is ready (your records are kept)"],
  updateNow: ["立即更新", "Update now"],
  rulebook: ["规则库版本", "Rulebook"],
  version: ["版本", "Version"],
  back: ["返回", "Back"],
  yes: ["是", "Yes"],
  no: ["否", "No"],
  unset: ["—", "—"],
  creditCodeOk: ["信用代码校验通过", "Credit code checks out"],
  signatureMissing: ["完成前须经营者签名，或记录拒签及见证人", "Get the operator's signature, or record the refusal with a witness"],
};

let lang = localStorage.getItem("xuncha.lang") === "en" ? "en" : "zh";

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l === "en" ? "en" : "zh";
  localStorage.setItem("xuncha.lang", lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

export function t(key, vars = {}) {
  const pair = STRINGS[key];
  let s = pair ? pair[lang === "zh" ? 0 : 1] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

/** A core text ({ zh, en }) or a [zh, en] pair. */
export function tx(text) {
  if (!text) return "";
  if (Array.isArray(text)) return text[lang === "zh" ? 0 : 1];
  return lang === "zh" ? text.zh : text.en;
}
