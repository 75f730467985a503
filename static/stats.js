// stats.js: the statistics page's tables sort by any column (sort.js).
import { sortable } from './sort.js';

sortable(document.getElementById('stats-body'));
