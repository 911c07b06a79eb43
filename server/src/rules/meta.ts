/**
 * What each rule is, without its detectors: ids, descriptions and severities for the CLI's usage
 * text, argument checks and SARIF output, which must not load the parsers the detectors need.
 */
import type { RuleMeta } from '../engine/rule';
import { blockingCallInHandlerMeta } from './blocking-call-in-handler/meta';
import { nPlusOneMeta } from './n-plus-one/meta';
import { offsetPaginationMeta } from './offset-pagination/meta';
import { requestWithoutTimeoutMeta } from './request-without-timeout/meta';
import { unboundedCacheMeta } from './unbounded-cache/meta';
import { unindexedForeignKeyMeta } from './unindexed-foreign-key/meta';
import { unboundedResultSetMeta } from './unbounded-result-set/meta';

/** Every rule, in the order their findings are documented (ALL_RULES has the same order). */
export const ALL_RULE_META: readonly RuleMeta[] = [nPlusOneMeta, unboundedCacheMeta, blockingCallInHandlerMeta, offsetPaginationMeta, requestWithoutTimeoutMeta, unindexedForeignKeyMeta, unboundedResultSetMeta];
