import { useState } from 'react';
import type { SourceInfo } from '../../../../shared/contract';
import type { SyncProgress } from '../../../../shared/events';
import { errorMessage } from '../../hooks/report-error-context';
import { useApi } from '../../hooks/use-api';
import { AddFolderForm } from './AddFolderForm';
import { ProgressBar } from '../common/ProgressBar';

interface Props {
  /** The latest sync progress of any source, shown while the demo is being built. */
  progress: SyncProgress | null;
  onSourceAdded: (source: SourceInfo) => void;
  onConnectMongo: () => void;
}

/** What a first-time user sees: no sources yet, three ways to get some. */
export function StartScreen({ progress, onSourceAdded, onConnectMongo }: Props) {
  const api = useApi();
  const [showForm, setShowForm] = useState(false);
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);

  async function createDemo(): Promise<void> {
    setDemoBusy(true);
    setDemoError(null);
    try {
      onSourceAdded(await api.createDemo({}));
    } catch (error) {
      setDemoError(errorMessage(error));
    } finally {
      setDemoBusy(false);
    }
  }

  return (
    <div className="start-screen">
      <div className="start-card">
        <h1>Altar Viewer</h1>
        <p className="start-tagline">
          Browse Sacred experiment runs: configs, metrics, captured output and artifacts, from your
          run folders and MongoDB databases.
        </p>
        <div className="start-actions">
          <button
            type="button"
            className="big-button primary"
            data-testid="add-folder-button"
            onClick={() => setShowForm(true)}
            disabled={demoBusy}
          >
            <span className="big-button-title">Open a Sacred run folder</span>
            <span className="big-button-sub">A folder written by FileStorageObserver</span>
          </button>
          <button
            type="button"
            className="big-button"
            data-testid="connect-mongo-button"
            onClick={onConnectMongo}
            disabled={demoBusy}
          >
            <span className="big-button-title">Connect to MongoDB</span>
            <span className="big-button-sub">A database written by MongoObserver</span>
          </button>
          <button
            type="button"
            className="big-button"
            data-testid="demo-button"
            onClick={() => void createDemo()}
            disabled={demoBusy}
          >
            <span className="big-button-title">
              {demoBusy ? 'Creating demo data…' : 'Try demo data'}
            </span>
            <span className="big-button-sub">Generated runs to look around</span>
          </button>
        </div>
        {demoBusy && <ProgressBar progress={progress} />}
        {demoError !== null && (
          <div className="form-error" role="alert">
            {demoError}
          </div>
        )}
        {showForm && !demoBusy && (
          <div className="start-form">
            <AddFolderForm onAdded={onSourceAdded} onCancel={() => setShowForm(false)} />
          </div>
        )}
      </div>
    </div>
  );
}
