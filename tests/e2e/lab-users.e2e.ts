import { MongoClient } from 'mongodb';
import { expect, test, type Page } from '@playwright/test';
import { mongoUriWithCredentials } from '../support/mongo-test-server';
import { startSeededMongo, type SeededMongo } from '../support/seeded-mongo-process';
import { startServedApp, type ServedApp } from '../support/serve-process';

// Issue 17, lab users from the window: a source connected as the lab's root user lists the
// database's users, adds a member as writer with a typed password and one with a generated
// password, switches a role and removes a user; the members log in with exactly that access.
// A source connected with a read-only user says why it cannot.
let app: ServedApp;
let lab: SeededMongo;

test.beforeAll(async () => {
  lab = await startSeededMongo(['--runs', '4', '--seed', '2']);
  app = await startServedApp();
});

test.afterAll(async () => {
  // The app first: it holds connections to the server.
  await app?.stop();
  await lab?.stop();
});

async function addSource(page: Page, user: string, password: string, source: string) {
  await page.getByTestId('connect-mongo-button').first().click();
  await page.getByTestId('conn-name-input').fill(`${source}-server`);
  await page.getByTestId('conn-mode-uri').click();
  await page
    .getByTestId('conn-uri-input')
    .fill(`mongodb://${user}@127.0.0.1:${lab.port}/?authSource=admin`);
  await page.getByTestId('conn-password-input').fill(password);
  await page.getByTestId('conn-save-button').click();
  const database = page.locator(`[data-testid="db-item"][data-db="${lab.database}"]`);
  await database
    .locator('[data-testid="db-collection"]')
    .first()
    .getByTestId('db-add-source')
    .click();
  await page.getByTestId('source-name-input').fill(source);
  await page.getByTestId('source-add-submit').click();
  await expect(page.getByTestId('mongo-dialog')).toBeHidden();
}

async function openLabUsers(page: Page, source: string) {
  const item = page.locator(`[data-testid="source-item"][data-source="${source}"]`);
  await item.getByTestId('source-menu-button').click();
  await page.getByTestId('source-lab-users').click();
  await expect(page.getByTestId('lab-users-dialog')).toBeVisible();
}

/** 'writer', 'reader' or 'no login', asked of the server with the driver. */
async function accessOf(user: string, password: string): Promise<string> {
  const client = new MongoClient(mongoUriWithCredentials(lab.uri, user, password), {
    serverSelectionTimeoutMS: 3000,
  });
  try {
    const runs = client.db(lab.database).collection('runs_check');
    const read = await runs.countDocuments({}).then(
      () => true,
      (error: unknown) => (String(error).includes('Authentication failed') ? null : false),
    );
    if (read === null) return 'no login';
    const wrote = await runs.insertOne({ by: user }).then(
      () => true,
      () => false,
    );
    return wrote ? 'writer' : read ? 'reader' : 'none';
  } finally {
    await client.close();
  }
}

test('the lab root adds, changes and removes members; a reader is told it cannot', async ({
  page,
}) => {
  await page.goto(app.url);
  await addSource(page, 'lab-root', 'root-pw', 'lab');
  await openLabUsers(page, 'lab');
  const dialog = page.getByTestId('lab-users-dialog');
  const row = (name: string) => dialog.locator(`[data-testid="lab-user"][data-user="${name}"]`);
  await expect(row('reader').getByTestId('lab-user-access')).toHaveText('reader');
  await expect(row('lab-root').getByTestId('lab-user-access')).toHaveText('admin');

  // A writer with a typed password: mistyped once, the form says so and sends nothing.
  await dialog.getByTestId('lab-user-name').fill('ada');
  await dialog.getByTestId('lab-user-role').selectOption('writer');
  await dialog.getByTestId('lab-user-add-password').fill('ada-password-1');
  await dialog.getByTestId('lab-user-add-password-again').fill('ada-password-2');
  await expect(dialog.getByText('The two passwords differ.')).toBeVisible();
  await expect(dialog.getByTestId('lab-user-add-submit')).toBeDisabled();
  await dialog.getByTestId('lab-user-add-password-again').fill('ada-password-1');
  await dialog.getByTestId('lab-user-add-submit').click();
  await expect(row('ada').getByTestId('lab-user-access')).toHaveText('writer');
  expect(await accessOf('ada', 'ada-password-1')).toBe('writer');

  // A reader with a generated password, shown once.
  await dialog.getByTestId('lab-user-name').fill('bob');
  await dialog.getByTestId('lab-user-role').selectOption('reader');
  await dialog.getByTestId('lab-user-add-generate').check();
  await dialog.getByTestId('lab-user-add-submit').click();
  await expect(row('bob').getByTestId('lab-user-access')).toHaveText('reader');
  const generated = await dialog.getByTestId('lab-user-generated-password').textContent();
  expect(generated).toMatch(/^[\w-]{24}$/u);
  expect(await accessOf('bob', generated!)).toBe('reader');

  // ada becomes a reader; bob is removed after a confirmation.
  await row('ada').getByTestId('lab-user-toggle-role').click();
  await expect(row('ada').getByTestId('lab-user-access')).toHaveText('reader');
  expect(await accessOf('ada', 'ada-password-1')).toBe('reader');
  await row('bob').getByTestId('lab-user-remove').click();
  await row('bob').getByTestId('lab-user-remove-confirm').click();
  await expect(row('bob')).toHaveCount(0);
  expect(await accessOf('bob', generated!)).toBe('no login');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The same database through the read-only user: the server's refusal, in words.
  await addSource(page, 'reader', 'reader-pw', 'lab-ro');
  await openLabUsers(page, 'lab-ro');
  await expect(page.getByTestId('lab-users-load-error')).toContainText(
    'cannot manage the users of',
  );
});
