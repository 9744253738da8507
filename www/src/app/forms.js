// What each part of a visit asks for: fields as data (path in the record,
// label in both languages, type). The editor renders them and places the
// core's problems beside the field whose JSON Pointer they name.
const opt = (value, zh, en) => ({ value, label: [zh, en] });

export const SITE_KINDS = [
  opt("farmersMarket", "农贸市场", "Farmers' market"), opt("supermarket", "超市", "Supermarket"), opt("shop", "商店", "Shop"),
  opt("pharmacy", "药店", "Pharmacy"), opt("petrolStation", "加油站", "Petrol station"), opt("restaurant", "餐饮", "Restaurant"),
  opt("mall", "商场", "Mall"), opt("residentialBuilding", "住宅楼", "Residential building"), opt("factory", "工厂", "Factory"), opt("other", "其他", "Other"),
];

export const HEADER = {
  operator: [
    { key: "name", label: ["经营者名称", "Operator name"], type: "text" },
    { key: "creditCode", label: ["统一社会信用代码", "Unified social credit code"], type: "text", upper: true, hint: ["18 位；个体户无代码时填“无”并说明", "18 characters; “无” with a reason if none"] },
    { key: "noCreditCodeReason", label: ["无代码原因", "Why no code"], type: "text" },
    { key: "address", label: ["经营地址", "Address"], type: "text" },
    { key: "contactName", label: ["联系人", "Contact"], type: "text" },
    { key: "contactPhone", label: ["联系电话", "Phone"], type: "tel" },
  ],
  site: [
    { key: "name", label: ["场所名称", "Site name"], type: "text" },
    { key: "kind", label: ["场所类型", "Kind of site"], type: "select", options: SITE_KINDS },
    { key: "address", label: ["场所地址", "Site address"], type: "text" },
    { key: "city", label: ["城市", "City"], type: "text" },
    { key: "marketId", label: ["市场编号", "Market id"], type: "text" },
  ],
};

export const OFFICER = [
  { key: "name", label: ["姓名", "Name"], type: "text" },
  { key: "certificateNo", label: ["执法证号", "Certificate no."], type: "text" },
];

/** The operator refused to sign: what happened, and the witness. */
export const REFUSAL = [
  { key: "note", label: ["拒签情况", "What happened"], type: "text" },
  { key: "witnessName", label: ["见证人", "Witness"], type: "text" },
  { key: "witnessContact", label: ["见证人联系方式", "Witness contact"], type: "tel" },
];

const TAG_ELEMENTS = [
  opt("name", "品名", "name"), opt("price", "价格", "price"), opt("unit", "计价单位", "unit"), opt("specification", "规格", "specification"),
  opt("origin", "产地", "origin"), opt("grade", "等级", "grade"), opt("colour", "颜色", "colour"),
  opt("serviceItem", "服务项目", "service item"), opt("serviceContent", "服务内容", "service content"), opt("priceOrMethod", "价格或计价方法", "price or method"),
];

export const KINDS = {
  price: {
    list: "priceChecks",
    title: ["明码标价", "Price tagging"],
    summary: (x) => x.itemName,
    fields: [
      { key: "subject", label: ["对象", "Subject"], type: "select", options: [opt("goods", "商品", "Goods"), opt("service", "服务", "Service")] },
      { key: "itemName", label: ["商品/服务名称", "Item"], type: "text" },
      { key: "tagPresent", label: ["有价签", "Price tag present"], type: "bool" },
      { key: "elementsSeen", label: ["价签上标明的内容", "What the tag shows"], type: "multi", options: TAG_ELEMENTS },
      { key: "markedPrice", label: ["标示价格（元）", "Marked price (yuan)"], type: "number" },
      { key: "pricingUnit", label: ["计价单位", "Pricing unit"], type: "text" },
      { key: "chargedPrice", label: ["实收价格（元）", "Charged price (yuan)"], type: "number" },
      { key: "settlementListGiven", label: ["提供结算清单", "Settlement list given"], type: "bool" },
      { key: "unmarkedFees", label: ["未标明的收费（元）", "Unmarked fees (yuan)"], type: "number" },
      { key: "notes", label: ["备注", "Notes"], type: "text" },
    ],
  },
  metrology: {
    list: "instrumentChecks",
    title: ["计量器具", "Metrology"],
    summary: (x) => [x.serialNo, x.instrumentType].filter(Boolean).join(" · "),
    fields: [
      { key: "instrumentType", label: ["器具类型", "Instrument"], type: "select", options: [
        opt("priceScale", "电子计价秤", "Price scale"), opt("scale", "秤", "Scale"), opt("fuelDispenser", "燃油加油机", "Fuel dispenser"),
        opt("taxiMeter", "出租车计价器", "Taxi meter"), opt("waterMeter", "水表", "Water meter"), opt("gasMeter", "燃气表", "Gas meter"),
        opt("electricityMeter", "电能表", "Electricity meter"), opt("other", "其他", "Other")] },
      { key: "serialNo", label: ["出厂编号", "Serial no."], type: "text" },
      { key: "tradeUse", label: ["用于贸易结算", "Used in trade"], type: "bool" },
      { key: "accuracyClass", label: ["准确度等级", "Accuracy class"], type: "select", options: [opt("III", "III", "III"), opt("IIII", "IIII", "IIII")] },
      { key: "maxG", label: ["最大秤量 Max（g）", "Max (g)"], type: "number" },
      { key: "minG", label: ["最小秤量 Min（g）", "Min (g)"], type: "number" },
      { key: "eG", label: ["检定分度值 e（g）", "Verification interval e (g)"], type: "number" },
      { key: "verification.markPresent", label: ["有检定合格标志", "Verification mark present"], type: "bool" },
      { key: "verification.certificateNo", label: ["检定证书号", "Certificate no."], type: "text" },
      { key: "verification.verifiedOn", label: ["检定日期", "Verified on"], type: "date" },
      { key: "verification.validUntil", label: ["有效期至", "Valid until"], type: "date" },
      { key: "seal", label: ["封印", "Seal"], type: "select", options: [opt("intact", "完好", "Intact"), opt("broken", "破损", "Broken"), opt("missing", "缺失", "Missing")] },
      { key: "cheatingDeviceFound", label: ["发现作弊装置", "Cheating device found"], type: "bool" },
      { key: "weighings", label: ["称量检查", "Test weighings"], type: "rows", fields: [
        { key: "loadG", label: ["砝码（g）", "Load (g)"], type: "number" }, { key: "readingG", label: ["示值（g）", "Reading (g)"], type: "number" }] },
      { key: "deliveries", label: ["加油机付油检查", "Fuel deliveries"], type: "rows", fields: [
        { key: "actualL", label: ["实际（L）", "Actual (L)"], type: "number" }, { key: "indicatedL", label: ["示值（L）", "Indicated (L)"], type: "number" }] },
      { key: "notes", label: ["备注", "Notes"], type: "text" },
    ],
  },
  equipment: {
    list: "equipmentChecks",
    title: ["特种设备", "Special equipment"],
    summary: (x) => [x.registrationNo, x.kind].filter(Boolean).join(" · "),
    fields: [
      { key: "kind", label: ["设备种类", "Kind"], type: "select", options: [
        opt("lift", "电梯", "Lift"), opt("boiler", "锅炉", "Boiler"), opt("pressureVessel", "压力容器", "Pressure vessel"), opt("gasCylinder", "气瓶", "Gas cylinder"),
        opt("pressurePiping", "压力管道", "Pressure piping"), opt("liftingMachinery", "起重机械", "Lifting machinery"), opt("passengerRopeway", "客运索道", "Passenger ropeway"),
        opt("amusementRide", "大型游乐设施", "Amusement ride"), opt("inPlantVehicle", "场（厂）内专用机动车辆", "In-plant vehicle")] },
      { key: "registrationNo", label: ["使用登记证编号", "Registration no."], type: "text" },
      { key: "equipmentCode", label: ["设备代码", "Equipment code"], type: "text" },
      { key: "manufacturedOn", label: ["制造日期", "Manufactured on"], type: "date" },
      { key: "firstUsedOn", label: ["投入使用日期", "First used on"], type: "date" },
      { key: "lastInspectionOn", label: ["上次定期检验日期", "Last inspection"], type: "date" },
      { key: "nextInspectionDue", label: ["下次检验日期", "Next inspection due"], type: "date" },
      { key: "lastInspectionResult", label: ["上次检验结论", "Last result"], type: "select", options: [opt("pass", "合格", "Pass"), opt("fail", "不合格", "Fail")] },
      { key: "lastMaintenanceOn", label: ["最近维保日期", "Last maintenance"], type: "date" },
      { key: "maintenanceUnit", label: ["维保单位", "Maintenance unit"], type: "text" },
      { key: "maintenanceUnitLicensed", label: ["维保单位有资质", "Maintenance unit licensed"], type: "bool" },
      { key: "inUse", label: ["在用", "In use"], type: "bool" },
      { key: "scrapped", label: ["已报废", "Scrapped"], type: "bool" },
      { key: "operators", label: ["作业人员", "Operators"], type: "rows", fields: [
        { key: "name", label: ["姓名", "Name"], type: "text" }, { key: "certificateNo", label: ["证书号", "Certificate no."], type: "text" }] },
      { key: "notes", label: ["备注", "Notes"], type: "text" },
    ],
  },
  sampling: {
    list: "samples",
    title: ["抽检批次", "Sampling"],
    summary: (x) => [x.sampleNo, x.productName].filter(Boolean).join(" · "),
    fields: [
      { key: "sampleNo", label: ["抽样单编号", "Sample no."], type: "text" },
      { key: "category", label: ["类别", "Category"], type: "select", options: [opt("food", "食品", "Food"), opt("industrial", "工业产品", "Industrial")] },
      { key: "productName", label: ["样品名称", "Product"], type: "text" },
      { key: "brand", label: ["商标", "Brand"], type: "text" },
      { key: "specification", label: ["规格型号", "Specification"], type: "text" },
      { key: "batchNo", label: ["生产批号", "Batch no."], type: "text" },
      { key: "productionDate", label: ["生产日期", "Production date"], type: "date" },
      { key: "shelfLifeDays", label: ["保质期（天）", "Shelf life (days)"], type: "number" },
      { key: "onSale", label: ["在售", "On sale"], type: "bool" },
      { key: "lotSize", label: ["抽样基数", "Lot size"], type: "number" },
      { key: "testQuantity", label: ["检验样品数量", "Test quantity"], type: "number" },
      { key: "backupQuantity", label: ["备份样品数量", "Backup quantity"], type: "number" },
      { key: "quantityUnit", label: ["数量单位", "Unit"], type: "text" },
      { key: "sealNos", label: ["封条编号（逗号分隔）", "Seal nos. (comma separated)"], type: "list" },
      { key: "samplers", label: ["抽样人员（逗号分隔）", "Samplers (comma separated)"], type: "list" },
      { key: "sealsSignedByOperator", label: ["被抽样单位在封条上签字", "Seals signed by the operator"], type: "bool" },
      { key: "purchasePrice", label: ["购样费用（元）", "Purchase price (yuan)"], type: "number" },
      { key: "producerName", label: ["标称生产者", "Producer"], type: "text" },
      { key: "producerAddress", label: ["生产者地址", "Producer address"], type: "text" },
      { key: "notes", label: ["备注", "Notes"], type: "text" },
    ],
  },
};

/** JSON Pointer for a dotted key under a base pointer: ("/priceChecks/0", "verification.validUntil"). */
export function pointer(base, key) {
  return base + "/" + key.split(".").join("/");
}

export function getAt(obj, key) {
  return key.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setAt(obj, key, value) {
  const parts = key.split(".");
  let o = obj;
  for (const k of parts.slice(0, -1)) o = o[k] ??= {};
  const last = parts.at(-1);
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) delete o[last];
  else o[last] = value;
}
