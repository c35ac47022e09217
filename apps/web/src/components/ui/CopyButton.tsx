import { useEffect, useState } from 'react';
import { Button, type ButtonProps } from './Button';
import { CheckIcon, CopyIcon } from './icons';

/** Copies `text` (or what the function returns, computed on click) to the clipboard and says so for a moment. */
export function CopyButton({ text, label = 'Copy', ...props }: { text: string | (() => string); label?: string } & Omit<ButtonProps, 'onClick'>) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <Button onClick={copy} icon={copied === 'yes' ? <CheckIcon /> : <CopyIcon />} {...props}>
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed — select and copy by hand' : label}
    </Button>
  );
}
