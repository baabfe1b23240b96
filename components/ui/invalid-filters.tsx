import Link from 'next/link';
import { Alert } from './alert';

/** A list page whose URL filters do not parse: why, and a link to the unfiltered list. */
export function InvalidFilters({
  error,
  resetHref,
  resetLabel,
}: {
  error: string;
  resetHref: string;
  resetLabel: string;
}) {
  return (
    <Alert
      tone="warning"
      title="This view's filters are not valid"
      action={
        <Link href={resetHref} className="font-medium underline">
          {resetLabel}
        </Link>
      }
    >
      {error}
    </Alert>
  );
}
