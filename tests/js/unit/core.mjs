// The real core (pkg/, the release build) in Node, for unit tests of the app's pure functions.
import { readFileSync } from "node:fs";
import { initSync } from "../../../pkg/xuncha.js";
import * as core from "../../../pkg/xuncha.js";

initSync({ module: readFileSync(new URL("../../../pkg/xuncha_bg.wasm", import.meta.url)) });
export default core;
