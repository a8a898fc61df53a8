import { loadavg } from "node:os";
import { violations } from "./measure";
import { readOptions } from "./options";
import { formatReport } from "./report";
import { runChaos } from "./scenario";

/**
 * `npm run chaos [-- --mode=term --jobs=600 …]`: facegate in its production shape under crashes
 * (or rolling restarts), measured from outside. Exits 1 when an invariant broke.
 */
const options = readOptions(process.argv.slice(2), process.env);
console.log(`chaos: ${JSON.stringify(options)}`);
const run = await runChaos(options, (line) => console.log(line));
console.log(formatReport(run));
// The machine's load says how far the timings can be trusted (2 cores run the whole fleet).
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const broken = violations(run.figures);
for (const v of broken) console.log(`VIOLATION ${v}`);
process.exit(broken.length > 0 ? 1 : 0);
