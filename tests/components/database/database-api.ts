/** The database capability's public API, as library users import it. */
export * from "@mlops-platform/components";
