import type { Rule } from '../engine/rule';
import { blockingCallInHandler } from './blocking-call-in-handler';
import { nPlusOne } from './n-plus-one';
import { offsetPagination } from './offset-pagination';
import { requestWithoutTimeout } from './request-without-timeout';
import { unboundedCache } from './unbounded-cache';
import { unindexedForeignKey } from './unindexed-foreign-key';
import { unboundedResultSet } from './unbounded-result-set';
import { unindexedFilter } from './unindexed-filter';

/** Every rule, in the order their findings are documented. */
export const ALL_RULES: readonly Rule[] = [nPlusOne, unboundedCache, blockingCallInHandler, offsetPagination, requestWithoutTimeout, unindexedForeignKey, unboundedResultSet, unindexedFilter];
