/**
 * Names that say a module-level collection is a cache (or a memo table, or a per-key store), as
 * opposed to a registry filled once at start-up (`handlers.set(name, fn)`): registries are keyed by
 * function arguments too, but do not grow with traffic. Shared by the JS/TS and Python adapters.
 */
export const CACHE_NAME = /cache|memo|seen|visited|lookup|pending|sessions?$|store$|^by[A-Z_]|_by_|By[A-Z]\w*$|results?$|responses?$|tokens$|counts?$|hits$|^_?\w*_(map|dict)$/i;
