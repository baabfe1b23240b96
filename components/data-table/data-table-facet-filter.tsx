'use client';

import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu';
import { formatCount } from '../ui/format';
import { ChevronDownIcon, FilterIcon } from '../ui/icons';

export interface FacetOption<T extends string> {
  value: T;
  label?: string;
  count?: number;
  /** The count is an estimate: shown with ≈. */
  approximate?: boolean;
}

export interface DataTableFacetFilterProps<T extends string> {
  title: string;
  options: readonly FacetOption<T>[];
  selected: readonly T[];
  onChange: (values: T[]) => void;
  /** Offered as "Reset" when the selection differs from it. */
  defaultSelected?: readonly T[];
  /** Extra menu items, e.g. "All states". */
  presets?: { label: string; values: readonly T[] }[];
}

/** A multi-choice filter in a menu, with counts; the menu stays open while ticking. */
export function DataTableFacetFilter<T extends string>({
  title,
  options,
  selected,
  onChange,
  defaultSelected,
  presets = [],
}: DataTableFacetFilterProps<T>) {
  const chosen = new Set(selected);
  const toggle = (value: T, on: boolean) => {
    const next = options.map((o) => o.value).filter((v) => (v === value ? on : chosen.has(v)));
    onChange(next);
  };
  const isDefault =
    defaultSelected !== undefined &&
    defaultSelected.length === selected.length &&
    defaultSelected.every((v) => chosen.has(v));
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="secondary" size="sm" className="border-dashed">
          <FilterIcon className="size-3.5" />
          {title}
          <Badge tone="gray" className="ml-0.5">
            {selected.length === options.length
              ? 'all'
              : selected.length <= 2
                ? selected.join(', ') || 'none'
                : `${selected.length} selected`}
          </Badge>
          <ChevronDownIcon className="size-3.5 opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel>{title}</DropdownMenuLabel>
        {options.map((o) => (
          <DropdownMenuCheckboxItem
            key={o.value}
            checked={chosen.has(o.value)}
            onCheckedChange={(on) => toggle(o.value, on === true)}
            onSelect={(e) => e.preventDefault()}
          >
            <span className="flex-1">{o.label ?? o.value}</span>
            {o.count !== undefined ? (
              <span
                className="text-xs text-zinc-500 tabular-nums"
                title={o.approximate ? 'An estimate' : undefined}
              >
                {o.approximate ? '≈ ' : ''}
                {formatCount(o.count)}
              </span>
            ) : null}
          </DropdownMenuCheckboxItem>
        ))}
        {presets.length > 0 || (defaultSelected && !isDefault) ? <DropdownMenuSeparator /> : null}
        {presets.map((p) => (
          <DropdownMenuItem key={p.label} onSelect={() => onChange([...p.values])}>
            {p.label}
          </DropdownMenuItem>
        ))}
        {defaultSelected && !isDefault ? (
          <DropdownMenuItem onSelect={() => onChange([...defaultSelected])}>
            Reset to default
          </DropdownMenuItem>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
