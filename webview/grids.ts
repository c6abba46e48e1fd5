/**
 * Keyboard for tables with class "grid": one cell is in the tab order (roving tabindex), the
 * arrow keys, Home and End move between cells that carry a tooltip or an action.
 */
export function installGrids(root: ParentNode): void {
  root.querySelectorAll<HTMLTableElement>('table.grid').forEach((table) => {
    // Once per table: a section kept across renders is installed again with its new tables.
    if (table.dataset.grid) return;
    table.dataset.grid = 'keys';
    const cells = () => Array.from(table.querySelectorAll<HTMLElement>('td[tabindex]'));
    const all = cells();
    if (all.length === 0) return;
    const current = all.find((c) => c.classList.contains('target')) ?? all[0];
    current.tabIndex = 0;
    table.addEventListener('keydown', (e) => {
      const cell = (e.target as HTMLElement).closest?.('td[tabindex]') as HTMLElement | null;
      if (!cell) return;
      const row = cell.parentElement as HTMLTableRowElement;
      const rowsList = Array.from(table.querySelectorAll('tbody tr')) as HTMLTableRowElement[];
      const r = rowsList.indexOf(row);
      const inRow = (tr: HTMLTableRowElement) => Array.from(tr.querySelectorAll<HTMLElement>('td[tabindex]'));
      const col = inRow(row).indexOf(cell);
      let next: HTMLElement | undefined;
      // Vertical moves keep the class column, also across a row with one spanning cell (Σexp).
      const column = cell.dataset.class ?? table.dataset.column;
      if (cell.dataset.class !== undefined) table.dataset.column = cell.dataset.class;
      const nearest = (tr: HTMLTableRowElement | undefined) => {
        if (!tr) return undefined;
        const list = inRow(tr);
        if (list.length === 0) return undefined;
        return (
          list.find((c) => column !== undefined && c.dataset.class === column) ?? list[Math.min(col, list.length - 1)]
        );
      };
      switch (e.key) {
        case 'ArrowRight':
          next = inRow(row)[col + 1];
          break;
        case 'ArrowLeft':
          next = inRow(row)[col - 1];
          break;
        case 'ArrowDown':
          for (let i = r + 1; i < rowsList.length && !next; i++) next = nearest(rowsList[i]);
          break;
        case 'ArrowUp':
          for (let i = r - 1; i >= 0 && !next; i--) next = nearest(rowsList[i]);
          break;
        case 'Home':
          next = inRow(row)[0];
          break;
        case 'End':
          next = inRow(row)[inRow(row).length - 1];
          break;
        default:
          return;
      }
      e.preventDefault();
      if (!next) return;
      for (const c of cells()) c.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
  });
}
