import { useState, type HTMLAttributes, type ReactNode } from 'react';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';

declare module '@tanstack/react-table' {
  // Declaration merging: the type parameters must match TanStack's own.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-aligned, tabular figures. */
    numeric?: boolean;
  }
}

export interface DataTableProps<T> {
  readonly data: readonly T[];
  // TanStack column definitions mix value types per column; `any` here is TanStack's own convention.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly columns: ColumnDef<T, any>[];
  readonly caption: ReactNode;
  readonly testId: string;
  readonly rowAttributes?: (
    row: T,
  ) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | number | undefined>;
  readonly withFooter?: boolean;
  readonly initialSorting?: SortingState;
  readonly empty?: ReactNode;
}

/** A sortable grid (TanStack Table): click a column heading to sort; the state is announced via aria-sort. */
export function DataTable<T>({
  data,
  columns,
  caption,
  testId,
  rowAttributes,
  withFooter,
  initialSorting = [],
  empty,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useReactTable<T>({
    data: data as T[],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <div className="table-wrap">
      <table className="grid" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const numeric = h.column.columnDef.meta?.numeric;
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={numeric ? 'num' : undefined}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {h.isPlaceholder ? null : h.column.getCanSort() ? (
                      <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span aria-hidden="true" className="sort-mark">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} {...rowAttributes?.(row.original)}>
              {row.getVisibleCells().map((cell, i) => {
                const numeric = cell.column.columnDef.meta?.numeric;
                const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                return i === 0 ? (
                  <th key={cell.id} scope="row" className={numeric ? 'num' : undefined}>
                    {content}
                  </th>
                ) : (
                  <td key={cell.id} className={numeric ? 'num' : undefined} data-column={cell.column.id}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
          {data.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                {empty ?? 'Nothing to show.'}
              </td>
            </tr>
          ) : null}
        </tbody>
        {withFooter ? (
          <tfoot>
            {table.getFooterGroups().map((fg) => (
              <tr key={fg.id} data-testid={`${testId}-footer`}>
                {fg.headers.map((h, i) => {
                  const numeric = h.column.columnDef.meta?.numeric;
                  const content = h.isPlaceholder
                    ? null
                    : flexRender(h.column.columnDef.footer, h.getContext());
                  return i === 0 ? (
                    <th key={h.id} scope="row" className={numeric ? 'num' : undefined}>
                      {content}
                    </th>
                  ) : (
                    <td key={h.id} className={numeric ? 'num' : undefined} data-column={h.column.id}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
