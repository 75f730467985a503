// sort.js: sortable tables. Each column header of a table.sortable becomes a
// button; pressing it sorts the rows by that column (numbers highest first,
// text A to Z; again: the other way). A table keeps its order when its HTML
// is swapped in again (remembered by table id).

const orders = new Map();

const key = (cell) => {
  const text = cell.textContent.trim();
  if (text === '–' || text === '') return -Infinity;
  const n = Number(text);
  return Number.isNaN(n) ? text : n;
};

const compare = (x, y) => {
  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
  return typeof x === 'string' ? x.localeCompare(y) : x - y;
};

function sortBy(table, col, dir) {
  orders.set(table.id, { col, dir });
  const body = table.tBodies[0];
  // equal numbers in the order of their text: shirt "0" before "00"
  const rows = [...body.rows].sort((a, b) => (compare(key(a.cells[col]), key(b.cells[col])) ||
    a.cells[col].textContent.trim().localeCompare(b.cells[col].textContent.trim())) * dir);
  body.append(...rows);
  [...table.tHead.rows[0].cells].forEach((th, i) => {
    if (i === col) th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  });
}

/** Makes every table.sortable under root sortable. */
export function sortable(root) {
  for (const table of root.querySelectorAll('table.sortable')) {
    const heads = [...(table.tHead?.rows[0]?.cells ?? [])];
    heads.forEach((th, col) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener('click', () => {
        const was = orders.get(table.id);
        const numeric = th.classList.contains('num');
        const dir = was?.col === col ? -was.dir : numeric ? -1 : 1;
        sortBy(table, col, dir);
      });
    });
    const was = orders.get(table.id);
    if (was) sortBy(table, was.col, was.dir);
  }
}
