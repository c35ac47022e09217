import type { SVGProps } from 'react';

/** A tray: the inbox, in the same line style as ui/icons. */
export function InboxIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
      <path d="M3.5 13.5 6 5.5h12l2.5 8" />
      <path d="M3.5 13.5V18.5h17v-5h-5a3.5 3.5 0 0 1-7 0z" />
    </svg>
  );
}
