/**
 * Names that say a module-level collection is a cache (or a memo table, or a per-key store), as
 * opposed to a registry filled once at start-up (`handlers.set(name, fn)`): registries are keyed by
 * function arguments too, but do not grow with traffic. Shared by the JS/TS and Python adapters.
 */
export const CACHE_NAME = /cache|memo|seen|visited|lookup|pending|sessions?$|store$|^by[A-Z_]|_by_|By[A-Z]\w*$|results?$|responses?$|tokens$|counts?$|hits$|^_?\w*_(map|dict)$/i;

/**
 * Names of collections that are registries or once-only guards, not caches: filled from code
 * (`registry[name] = fn`, `warned.add(message)`), bounded by what the program defines.
 */
export const REGISTRY_NAME = /regist|handlers?$|plugins?$|hooks?$|listeners?$|subscribers?$|callbacks?$|warn|logged|once|deprecat|collection$|instances$|classes$|types$|factories$|providers$/i;

/** ALL_CAPS module constants are tables the program defines, unless named as caches. */
export const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Keys from a small, fixed domain (a dialect, a model, a language, a class): a map keyed by them
 * holds one entry per kind of thing the program knows, whatever the traffic.
 */
export const BOUNDED_KEY = /^(dialect|type|kind|name|locale|lang|language|env|mode|format|driver|provider|table|tableName|dispatch_uid|dispatchUid|schema|group|level|category|cls|klass|model|modelName|model_name|component|field|column|method|status|event|eventName|event_name|dtype|engine|backend|alias|using|db|database|connection)$/i;

/**
 * Parameters that name what a decorator decorates (`cls`, `target`, `fn`): a function that stores
 * one and returns it registers a definition, once per decorated class or function, when the code
 * loads. A function that stores an object and returns it (`remember(user)`) is a cache.
 */
export const DECORATED_PARAMETER = /^(cls|klass|class_|ctor|constructor|target|func|fn|f|function|method|meth|view|handler|callback|wrapped)$/;
