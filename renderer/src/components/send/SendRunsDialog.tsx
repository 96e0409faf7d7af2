import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type {
  NotSentFolder,
  SendPreviewFolder,
  SentRun,
} from '../../../../shared/contract/send-methods';
import { useApi } from '../../hooks/use-api';
import { useLatestAnswer } from '../../hooks/use-latest-answer';
import { newOperationId } from '../../model/operation-id';
import type { FolderChoice } from '../../model/send-check';
import { folderVerdicts, sendBatches, sendButtonLabel } from '../../model/send-check';
import { emptyMappingForm, mappingOfForm } from '../../model/send-mapping-form';
import type { SendMappingForm } from '../../model/send-mapping-form';
import type { SendProgressState } from '../../model/send-progress-state';
import { applySendProgress, initialSendProgress } from '../../model/send-progress-state';
import { Modal } from '../common/Modal';
import { SendCheckStep } from './SendCheckStep';
import { SendFoldersStep } from './SendFoldersStep';
import { SendMappingStep } from './SendMappingStep';
import { SendProgressStep } from './SendProgressStep';
import './send.css';

interface Props {
  source: string;
  onClose: () => void;
}

type Step = 1 | 2 | 3 | 4;
const stepNames: Record<Step, string> = { 1: 'Folders', 2: 'Files', 3: 'Check', 4: 'Send' };

/** Fields where Enter belongs to the field itself (a new line, a choice, a press). */
function enterIsTheFields(target: EventTarget): boolean {
  return (
    target instanceof HTMLElement &&
    ['TEXTAREA', 'BUTTON', 'SELECT', 'A', 'SUMMARY'].includes(target.tagName)
  );
}

/**
 * "Send runs…": folders of lab results become runs of this source (issue 16), in four steps
 * whose state lives here, so going back a step loses nothing. Enter goes on, Esc closes (asking
 * first while a send runs, which it then cancels: the core removes the run it was writing).
 */
export function SendRunsDialog({ source, onClose }: Props) {
  const api = useApi();
  const [step, setStep] = useState<Step>(1);
  const [browsePath, setBrowsePath] = useState('');
  const [folders, setFolders] = useState<string[]>([]);
  const [form, setForm] = useState<SendMappingForm>(emptyMappingForm);
  const [choices, setChoices] = useState<ReadonlyMap<string, FolderChoice>>(new Map());
  const [progress, setProgress] = useState<SendProgressState>(() => initialSendProgress([]));
  const [runs, setRuns] = useState<SentRun[] | null>(null);
  const [notSent, setNotSent] = useState<NotSentFolder[]>([]);
  const [sendError, setSendError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const operation = useRef<string | null>(null);
  const body = useRef<HTMLDivElement>(null);

  const checked = mappingOfForm(form);
  const check = useLatestAnswer<SendPreviewFolder[]>(
    step === 3 && checked.mapping !== null ? JSON.stringify([folders, checked.mapping]) : null,
    async () =>
      (await api.previewSend({ source, folders, mapping: checked.mapping ?? {} })).folders,
  );
  const verdicts = check.state === 'done' ? folderVerdicts(check.data, choices) : null;
  const batches = verdicts === null ? [] : sendBatches(verdicts);

  // A step's fields go when it changes: focus stays in the dialog so that Enter still goes on.
  useEffect(() => {
    const here = body.current;
    if (here !== null && !here.contains(document.activeElement)) here.focus();
  }, [step, sending]);

  // Closing the app's dialog any other way (the source removed) still stops the send.
  useEffect(
    () => () => {
      if (operation.current !== null) {
        void api.cancelSend({ operationId: operation.current }).catch(() => undefined);
      }
    },
    [api],
  );

  const canNext =
    (step === 1 && folders.length > 0) ||
    (step === 2 && checked.mapping !== null) ||
    (step === 3 && batches.length > 0) ||
    (step === 4 && !sending);

  async function send(): Promise<void> {
    const mapping = checked.mapping;
    if (mapping === null || batches.length === 0) return;
    const operationId = newOperationId();
    operation.current = operationId;
    setProgress(initialSendProgress(batches.flatMap((batch) => batch.folders)));
    setRuns(null);
    setNotSent([]);
    setSendError(null);
    setSending(true);
    setStep(4);
    const off = api.on('sendProgress', (event) => {
      if (event.operationId === operationId)
        setProgress((state) => applySendProgress(state, event));
    });
    const sent: SentRun[] = [];
    try {
      for (const batch of batches) {
        if (operation.current !== operationId) break;
        const result = await api.sendRuns({
          source,
          folders: batch.folders,
          mapping,
          ...(batch.again ? { again: true } : {}),
          ...(batch.resume ? { resume: true } : {}),
          operationId,
        });
        sent.push(...result.runs);
        setNotSent((list) => [...list, ...(result.notSent ?? [])]);
      }
      setRuns(sent);
    } catch (error) {
      // Runs of an earlier call (resumed folders) were written all the same.
      if (sent.length > 0) setRuns(sent);
      setSendError(error);
    } finally {
      off();
      operation.current = null;
      setSending(false);
    }
  }

  function next(): void {
    if (!canNext) return;
    if (step === 3) void send();
    else if (step === 4) onClose();
    else setStep((step + 1) as Step);
  }

  function requestClose(): void {
    if (sending) setConfirmClose(true);
    else onClose();
  }

  function cancelSend(): void {
    const operationId = operation.current;
    if (operationId === null) return;
    // No further call starts (the folders sent again after the resumed ones).
    operation.current = null;
    void api.cancelSend({ operationId }).catch(() => undefined);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    if (event.nativeEvent.isComposing || enterIsTheFields(event.target)) return;
    event.preventDefault();
    next();
  }

  return (
    <Modal
      titleId="send-runs-title"
      onClose={requestClose}
      className="send-runs-dialog"
      testId="send-runs-dialog"
      closeOnBackdrop={false}
    >
      <div ref={body} tabIndex={-1} className="send-runs-body" onKeyDown={onKeyDown}>
        <div className="dialog-title-row">
          <h2 id="send-runs-title">Send runs to {source}</h2>
          <ol className="send-steps" aria-label="Steps">
            {([1, 2, 3, 4] as Step[]).map((n) => (
              <li
                key={n}
                className={n === step ? 'current' : n < step ? 'done' : undefined}
                aria-current={n === step ? 'step' : undefined}
              >
                {n}. {stepNames[n]}
              </li>
            ))}
          </ol>
        </div>

        {step === 1 && (
          <SendFoldersStep
            source={source}
            browsePath={browsePath}
            onBrowsePath={setBrowsePath}
            folders={folders}
            onFolders={setFolders}
          />
        )}
        {step === 2 && (
          <SendMappingStep source={source} folders={folders} form={form} onForm={setForm} />
        )}
        {step === 3 && (
          <SendCheckStep
            verdicts={verdicts}
            error={check.state === 'error' ? check.error : null}
            choices={choices}
            onChoice={(folder, choice) => setChoices((map) => new Map(map).set(folder, choice))}
          />
        )}
        {step === 4 && (
          <SendProgressStep progress={progress} runs={runs} notSent={notSent} error={sendError} />
        )}

        {confirmClose && sending && (
          <div
            className="form-error send-confirm-close"
            role="alertdialog"
            data-testid="send-confirm-close"
          >
            A send is running. Cancel it and close? The run being written is removed.
            <div className="form-error-actions">
              <button type="button" onClick={() => setConfirmClose(false)}>
                Keep sending
              </button>
              <button
                type="button"
                className="danger"
                data-testid="send-cancel-and-close"
                onClick={() => {
                  cancelSend();
                  onClose();
                }}
              >
                Cancel the send and close
              </button>
            </div>
          </div>
        )}

        <div className="dialog-actions">
          {step === 4 ? (
            sending ? (
              <button type="button" data-testid="send-cancel" onClick={cancelSend}>
                Cancel send
              </button>
            ) : (
              <button type="button" className="primary" data-testid="send-close" onClick={onClose}>
                Close
              </button>
            )
          ) : (
            <>
              <button type="button" onClick={requestClose}>
                Close
              </button>
              {step > 1 && (
                <button
                  type="button"
                  data-testid="send-back"
                  onClick={() => setStep((step - 1) as Step)}
                >
                  Back
                </button>
              )}
              <button
                type="button"
                className="primary"
                data-testid={step === 3 ? 'send-start' : 'send-next'}
                disabled={!canNext}
                onClick={next}
              >
                {step === 3 ? (verdicts === null ? 'Send' : sendButtonLabel(verdicts)) : 'Next'}
              </button>
            </>
          )}
        </div>
      </div>
    </Modal>
  );
}
