export * from "./ml-platform.js";
