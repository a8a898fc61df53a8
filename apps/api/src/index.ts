export { createApp } from "./app";
export { type ApiContext, createApiContext } from "./context";
export { listen, type RunningServer } from "./server";
