// A searchable picker of canonical IANA time zones (Asia/Kolkata, Europe/Kyiv — not the legacy Asia/Calcutta that
// browsers still list), each with its offset now. Search matches the name, legacy aliases, the country and main
// cities ("Kolkata", "Calcutta", "India", "Mumbai" all find Asia/Kolkata). The zone list is @vvo/tzdb's (maintained,
// follows the tz database); offsets are computed by the browser for today, so they follow daylight saving.
// The combobox is React Aria's (keyboard, screen reader and focus behaviour come with it).
import { rawTimeZones } from '@vvo/tzdb';
import { useMemo, useState } from 'react';
import { Button, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import { cx } from '../../lib/cx';
import { controlClass } from './Field';
import { ChevronDownIcon } from './icons';

interface ZoneEntry {
  id: string;
  label: string;
  offset: string;
  minutes: number;
  haystack: string;
}

function offsetOf(zone: string, at: Date): { text: string; minutes: number } {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
    if (!match) return { text: 'UTC+00:00', minutes: 0 };
    const minutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
    return { text: `UTC${match[1]}${match[2]}:${match[3]}`, minutes };
  } catch {
    return { text: '', minutes: 0 };
  }
}

function buildZones(now: Date): ZoneEntry[] {
  const entries: ZoneEntry[] = [
    { id: 'UTC', label: 'UTC', offset: 'UTC+00:00', minutes: 0, haystack: 'utc gmt coordinated universal time etc/utc zulu' },
  ];
  for (const zone of rawTimeZones) {
    const { text, minutes } = offsetOf(zone.name, now);
    entries.push({
      id: zone.name,
      label: zone.name.replaceAll('_', ' '),
      offset: text,
      minutes,
      haystack: [zone.name, zone.name.replaceAll('_', ' '), ...zone.group, zone.countryName, zone.alternativeName, ...zone.mainCities].join(' ').toLowerCase(),
    });
  }
  return entries.sort((a, b) => a.minutes - b.minutes || a.id.localeCompare(b.id));
}

/** The canonical name of a zone given by a legacy alias (Asia/Calcutta → Asia/Kolkata), else the name itself. */
export function canonicalZone(name: string): string {
  return rawTimeZones.find((zone) => zone.group.includes(name))?.name ?? name;
}

export function TimezonePicker({
  label = 'Timezone',
  value,
  onChange,
  error,
  help,
}: {
  label?: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  help?: string;
}) {
  const zones = useMemo(() => buildZones(new Date()), []);
  const selected = canonicalZone(value);
  const current = zones.find((zone) => zone.id === selected);
  const [input, setInput] = useState<string | null>(null);
  const needle = (input ?? '').trim().toLowerCase();
  const shown = needle ? zones.filter((zone) => needle.split(/\s+/).every((word) => zone.haystack.includes(word))) : zones;
  const display = current ? `${current.label} (${current.offset})` : value;

  return (
    <ComboBox
      className="flex flex-col gap-1.5"
      items={shown}
      selectedKey={current ? current.id : null}
      inputValue={input ?? display}
      onInputChange={setInput}
      onSelectionChange={(key) => {
        if (key != null) onChange(String(key));
        setInput(null);
      }}
      onOpenChange={(open) => {
        if (!open) setInput(null);
      }}
      isInvalid={Boolean(error)}
      menuTrigger="input"
      allowsEmptyCollection
    >
      <Label className="text-sm font-medium text-stone-800 dark:text-stone-200">{label}</Label>
      <div className="relative">
        <Input
          placeholder="Search a city, country or zone"
          onFocus={(event) => event.currentTarget.select()}
          className={cx(controlClass, 'h-9 pr-9', error && 'border-red-500')}
        />
        <Button aria-label="Show time zones" className="absolute inset-y-0 right-0 flex w-9 items-center justify-center text-stone-500 dark:text-stone-400">
          <ChevronDownIcon className="size-4" />
        </Button>
      </div>
      {help && (
        <Text slot="description" className="text-xs text-stone-500 dark:text-stone-400">
          {help}
        </Text>
      )}
      {error && <FieldError className="text-xs text-red-700 dark:text-red-400">{error}</FieldError>}
      <Popover className="w-(--trigger-width) max-w-[calc(100vw-1rem)] overflow-auto rounded-xl border border-stone-200 bg-white p-1 shadow-lg dark:border-stone-700 dark:bg-stone-900">
        <ListBox<ZoneEntry> className="max-h-72 outline-none" renderEmptyState={() => <p className="px-3 py-2 text-sm text-stone-500 dark:text-stone-400">No time zone matches “{input}”.</p>}>
          {(zone) => (
            <ListBoxItem
              id={zone.id}
              textValue={zone.label}
              className="flex cursor-pointer items-center justify-between gap-3 rounded-lg px-2.5 py-1.5 text-sm text-stone-800 outline-none data-[focused]:bg-stone-100 data-[selected]:font-semibold dark:text-stone-100 dark:data-[focused]:bg-stone-800"
            >
              <span className="truncate">{zone.label}</span>
              <span className="shrink-0 text-xs text-stone-500 tabular-nums dark:text-stone-400">{zone.offset}</span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
