export * from "./types.ts";
export * from "./close-codes.ts";
export * from "./paths.ts";
export * from "./version.ts";
export * from "./prices.ts";
