import type { Rule } from '../engine/rule';
import { nPlusOne } from './n-plus-one';
import { offsetPagination } from './offset-pagination';

/** Every rule, in the order their findings are documented. */
export const ALL_RULES: readonly Rule[] = [nPlusOne, offsetPagination];
