// Jobs as code from the jobs page: download every job as a YAML definitions document, and import one (pasted or
// from a file) — checked first if wanted, applied whole or not at all, with every problem listed by its path.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useClient, useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ImportDefinitionsMutationMutation } from '../../gql/graphql';
import { describeError, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { usePermission } from '../../lib/viewer';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { DownloadIcon } from '../ui/icons';
import { Textarea } from '../ui/Textarea';
import { useToast } from '../ui/Toasts';

const ExportDefinitionsQuery = graphql(`
  query ExportDefinitionsQuery {
    exportDefinitions(format: YAML) {
      __typename
      ... on QueryExportDefinitionsSuccess {
        data {
          text
          generatedKeys {
            name
            key
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const ImportDefinitionsMutation = graphql(`
  mutation ImportDefinitionsMutation($document: String!, $dryRun: Boolean) {
    importDefinitions(document: $document, dryRun: $dryRun) {
      __typename
      ... on MutationImportDefinitionsSuccess {
        summary {
          dryRun
          roles {
            created
            updated
            unchanged
            deleted
          }
          users {
            created
            updated
            unchanged
            deleted
          }
          jobs {
            created
            updated
            unchanged
            deleted
          }
        }
      }
      ...MutationError
    }
  }
`);

type Summary = Extract<ImportDefinitionsMutationMutation['importDefinitions'], { __typename: 'MutationImportDefinitionsSuccess' }>['summary'];
type DefinitionChanges = Summary['jobs'];

function describeKind(name: string, changes: DefinitionChanges): string {
  const parts = [`${changes.created.length} created`, `${changes.updated.length} updated`, `${changes.unchanged.length} unchanged`];
  if (changes.deleted.length > 0) parts.push(`${changes.deleted.length} deleted`);
  return `${name}: ${parts.join(', ')}`;
}

export function DefinitionsButtons() {
  const client = useClient();
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const jobsWrite = usePermission('JOBS_WRITE');
  const usersManage = usePermission('USERS_MANAGE');
  const rolesManage = usePermission('ROLES_MANAGE');
  const importReason = jobsWrite.reason ?? usersManage.reason ?? rolesManage.reason;

  const download = async () => {
    setExporting(true);
    const result = await client.query(ExportDefinitionsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    setExporting(false);
    const answer = result.data?.exportDefinitions;
    if (!answer || answer.__typename !== 'QueryExportDefinitionsSuccess') {
      toast({ tone: 'danger', title: 'Export failed', description: answer && 'message' in answer ? answer.message : describeError(result.error) });
      return;
    }
    const url = URL.createObjectURL(new Blob([answer.data.text], { type: 'application/yaml' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'sundial-jobs.yaml';
    link.click();
    URL.revokeObjectURL(url);
    const generated = answer.data.generatedKeys.length;
    toast({
      title: 'Jobs exported',
      description: generated > 0 ? `${generated} job(s) without a key were given one from their name in the file.` : 'sundial-jobs.yaml',
    });
  };

  return (
    <>
      <Button icon={<DownloadIcon />} loading={exporting} onClick={() => void download()}>
        Export
      </Button>
      <Button disabledReason={importReason} onClick={() => setImporting(true)}>
        Import…
      </Button>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </>
  );
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const [document, setDocument] = useState('');
  const [busy, setBusy] = useState<'check' | 'import' | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [, importDefinitions] = useMutation(ImportDefinitionsMutation);
  const toast = useToast();

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setDocument(await file.text());
  };

  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? 'check' : 'import');
    setRefusal(null);
    setSummary(null);
    const outcome = outcomeOf(
      await importDefinitions({ document, dryRun }, { additionalTypenames: ['Job', 'User', 'Role'] }),
      (data) => data.importDefinitions,
    );
    setBusy(null);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    const result = outcome.value.summary;
    if (dryRun) {
      setSummary(result);
      return;
    }
    toast({ title: 'Definitions imported', description: describeKind('jobs', result.jobs) });
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(false);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={busy === null}
      size="lg"
      title="Import jobs"
      description="A definitions document (YAML or JSON): roles by name, users by e-mail, jobs by key. All of it is applied, or — with any problem — none of it."
      footer={
        <>
          <Button onClick={onClose} disabled={busy !== null}>
            Cancel
          </Button>
          <Button onClick={() => void run(true)} loading={busy === 'check'} disabled={busy !== null || !document.trim()}>
            Check
          </Button>
          <Button type="submit" form="import-definitions-form" variant="primary" loading={busy === 'import'} disabled={busy !== null || !document.trim()}>
            Import
          </Button>
        </>
      }
    >
      <form id="import-definitions-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && (
          <Alert title={refusal.fieldErrors.length > 0 ? `Nothing was imported: ${refusal.fieldErrors.length} problem(s)` : 'Nothing was imported'}>
            {refusal.fieldErrors.length > 0 ? (
              <ul aria-label="Problems" className="mt-1 flex list-disc flex-col gap-1 pl-5">
                {refusal.fieldErrors.map((problem) => (
                  <li key={`${problem.field}: ${problem.message}`}>
                    {problem.field && <code className="font-mono">{problem.field}</code>}
                    {problem.field ? ': ' : ''}
                    {problem.message}
                  </li>
                ))}
              </ul>
            ) : (
              refusal.message
            )}
          </Alert>
        )}
        {summary && (
          <Alert tone="success" title="The document is valid. Importing it would change:">
            <ul className="mt-1 flex flex-col gap-0.5">
              <li>{describeKind('Roles', summary.roles)}</li>
              <li>{describeKind('Users', summary.users)}</li>
              <li>{describeKind('Jobs', summary.jobs)}</li>
            </ul>
          </Alert>
        )}
        <Textarea
          label="Document"
          code
          rows={14}
          value={document}
          onChange={(event) => setDocument(event.target.value)}
          placeholder={'version: 1\njobs:\n  - key: weekly-report\n    name: Weekly report\n    action: examples.reminder\n    …'}
        />
        <label className="flex flex-col gap-1.5 text-sm font-medium">
          Or read it from a file
          <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" onChange={(event) => void readFile(event)} className="text-sm font-normal" />
        </label>
      </form>
    </Dialog>
  );
}
