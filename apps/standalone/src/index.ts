export { type Embedded, startEmbedded } from "./embedded";
export { type RunningSystem, startSystem } from "./system";
