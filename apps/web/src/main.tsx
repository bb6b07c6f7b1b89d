/** Browser entry: mounts the console with the page's storage, location, fetch and clock. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './styles.css';

const storage = (() => {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
})();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App storage={storage} now={() => Date.now()} />
  </StrictMode>,
);
