export * from "./deliveries";
export * from "./emit";
export * from "./endpoints";
export * from "./events";
export * from "./secrets";
export * from "./send";
export * from "./sign";
