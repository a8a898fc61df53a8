export * from "./blame";
export * from "./error-codes";
export * from "./job-failure";
export * from "./vendor-error";
