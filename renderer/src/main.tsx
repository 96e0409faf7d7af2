// First: zod must be configured before any schema of the contract parses.
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'react-json-view-lite/dist/index.css';
import './styles.css';
import './dark-theme.css';
import { api } from './api';
import { App } from './App';
import { StorageDialogHost } from './components/sources/StorageDialogHost';
import { ApiContext } from './hooks/use-api';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <StorageDialogHost>
        <App />
      </StorageDialogHost>
    </ApiContext.Provider>
  </StrictMode>,
);
