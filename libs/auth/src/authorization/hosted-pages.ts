/**
 * The hosted pages, server-rendered and plain: one heading, labelled fields, native controls,
 * `lang`, a visible error announced to assistive technology (`role="alert"`), and no script.
 * Everything interpolated is escaped.
 */

/** A hidden form field. */
export interface HiddenField {
  name: string;
  value: string;
}

/**
 * At 320 CSS pixels (1280 at 400%) nothing scrolls sideways (WCAG 1.4.10): the fields fill the
 * column with their padding and border inside it (`border-box`), and a word longer than a line,
 * as a client may name itself, breaks (`overflow-wrap`).
 */
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;overflow-wrap:anywhere}' +
  'label{display:block;margin-top:1rem}input[type=email],input[type=password]{display:block;box-sizing:border-box;width:100%;padding:.5rem;font-size:1rem}' +
  'button{margin-top:1.5rem;margin-right:.5rem;padding:.5rem 1.25rem;font-size:1rem}' +
  '[role=alert]{border-left:4px solid #b00020;padding:.5rem 1rem;background:#fdecee}';

function layout(nonce: string, title: string, content: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(title)}</title><style nonce="${escape(nonce)}">${STYLE}</style></head>` +
    `<body><main><h1>${escape(title)}</h1>${content}</main></body></html>`
  );
}

function hidden(fields: HiddenField[]): string {
  return fields
    .map(
      ({ name, value }) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`,
    )
    .join('');
}

/** The id the fields a form's error is about point at (`aria-describedby`). */
const FORM_ERROR_ID = 'form-error';

function alert(message: string | undefined): string {
  return message ? `<p id="${FORM_ERROR_ID}" role="alert">${escape(message)}</p>` : '';
}

export function loginPage(
  nonce: string,
  page: {
    clientName: string;
    action: string;
    fields: HiddenField[];
    email?: string;
    error?: string;
  },
): string {
  // The page is there for this form: focus starts in the first field to fill in (WCAG 2.4.3),
  // and after a refusal the password field, which the error describes (WCAG 3.3.1).
  const email = page.email ?? '';
  const invalid = page.error ? ` aria-invalid="true" aria-describedby="${FORM_ERROR_ID}"` : '';
  const focus = (field: 'email' | 'password') =>
    (field === 'email') === (email === '') ? ' autofocus' : '';
  return layout(
    nonce,
    'Sign in',
    `<p>Sign in to continue to ${escape(page.clientName)}.</p>${alert(page.error)}` +
      `<form method="post" action="${escape(page.action)}">${hidden(page.fields)}` +
      `<label for="email">Email</label>` +
      `<input id="email" name="email" type="email" autocomplete="username" required${focus('email')} value="${escape(email)}">` +
      `<label for="password">Password</label>` +
      `<input id="password" name="password" type="password" autocomplete="current-password" required${focus('password')}${invalid}>` +
      `<button type="submit">Sign in</button></form>`,
  );
}

export function consentPage(
  nonce: string,
  page: { clientName: string; action: string; fields: HiddenField[]; scopes: string[] },
): string {
  const items = page.scopes.map((scope) => `<li>${escape(describeScope(scope))}</li>`).join('');
  return layout(
    nonce,
    'Allow access?',
    `<p>${escape(page.clientName)} asks to:</p><ul>${items}</ul>` +
      `<form method="post" action="${escape(page.action)}">${hidden(page.fields)}` +
      `<button type="submit" name="decision" value="allow">Allow</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function logoutPage(nonce: string, page: { action: string; fields: HiddenField[] }): string {
  return layout(
    nonce,
    'Sign out?',
    `<p>Sign out of this identity provider, and of the applications you reached through it?</p>` +
      `<form method="post" action="${escape(page.action)}">${hidden(page.fields)}` +
      `<button type="submit">Sign out</button></form>`,
  );
}

export function signedOutPage(nonce: string): string {
  return layout(nonce, 'Signed out', `<p>You are signed out.</p>`);
}

export function errorPage(nonce: string, page: { title: string; message: string }): string {
  return layout(nonce, page.title, `<p role="alert">${escape(page.message)}</p>`);
}

/** What a scope lets the client do, in words (the scope itself for one we do not describe). */
function describeScope(scope: string): string {
  const described: Record<string, string> = {
    openid: 'know who you are',
    profile: 'read your name',
    email: 'read your email address',
    offline_access: 'keep access while you are away',
    'users:read': 'read user profiles',
    'users:write': 'change your profile',
    'orders:read': 'read your orders',
    'orders:write': 'place orders for you',
    admin: 'administer the platform with your rights',
  };
  return described[scope] ?? scope;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML-escapes text for element content and double-quoted attributes alike. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}
