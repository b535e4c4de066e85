/**
 * The consumer page as HTML: server-rendered, mobile first (one column, no layout break at 375 px),
 * a few kilobytes, one inline style sheet and one inline script, both carrying the response's CSP
 * nonce. It works without JavaScript (plain form posts); the script only turns the forms into fetch
 * calls that answer in place. Stable `data-testid` attributes mark the banner, the forms and the key
 * facts for browser tests. Pure: the route gathers the model, this only renders it.
 */
import type { FieldError } from './complaints.ts';
import type { RecallStatus } from './consumer-recall.ts';
import { type ConsumerLang, words } from './consumer-text.ts';
import type { Authenticity } from './scans.ts';
import type { LocalTime, QcStatus } from './unit-facts.ts';

/** Escape text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const h = escapeHtml;

/** The Content-Security-Policy of every consumer page: nothing but its own nonce'd style and script. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CSS = `*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f1f1f;background:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem;margin:1rem 0 .25rem}
a{color:#0040a0}.brand{color:#434343;margin:0}
.alert{background:#a8071a;color:#fff;padding:1rem;border-radius:.5rem;margin:1rem 0}
.alert h2{margin-top:0;font-size:1.4rem}.alert h3{color:#fff}
.panel{background:#fff;color:#1f1f1f;border-radius:.375rem;padding:.75rem;margin-top:.75rem}
.notice{border:2px solid #ad6800;background:#fffbe6;padding:.75rem;border-radius:.5rem;margin:1rem 0}
.ok{border-left:4px solid #237804;padding-left:.75rem}.warn{border-left:4px solid #ad6800;padding-left:.75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}dt{color:#434343}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
label,legend{display:block;font-weight:600;margin-top:.75rem}
input,textarea,button{font:inherit;max-width:100%}
input[type=text],input[type=tel],input[type=email],input[type=number],textarea{width:100%;padding:.5rem;border:1px solid #595959;border-radius:.25rem;background:#fff;color:#1f1f1f}
textarea{min-height:6rem}input[type=file]{width:100%}
fieldset{border:0;padding:0;margin:0}
.radio{display:inline-flex;align-items:center;gap:.35rem;margin:.25rem 1rem .25rem 0;font-weight:400}
button{margin-top:1rem;padding:.65rem 1.25rem;min-height:44px;border:0;border-radius:.375rem;background:#0040a0;color:#fff;font-weight:600;cursor:pointer}
.err{color:#a8071a;margin:.25rem 0 0;font-weight:600}
[aria-invalid=true]{border-color:#a8071a!important;outline:2px solid #a8071a}
:focus-visible{outline:3px solid #1677ff;outline-offset:2px}
.done{background:#f6ffed;border:1px solid #237804;color:#1f1f1f;padding:.75rem;border-radius:.375rem;font-weight:600}
footer{margin:2rem 0 1rem;color:#595959;font-size:.875rem}`;

/** Progressive enhancement: send the forms with fetch and show the answer in place. */
const SCRIPT = (fix: string, failed: string) => `(function(){
var FIX=${JSON.stringify(fix)},FAILED=${JSON.stringify(failed)};
document.querySelectorAll('form[data-enhance]').forEach(function(f){
f.addEventListener('submit',function(ev){
ev.preventDefault();var b=f.querySelector('button[type=submit]'),st=f.querySelector('[data-role=status]');b.disabled=true;st.textContent='';
f.querySelectorAll('.err[id]').forEach(function(e){e.textContent='';e.hidden=true;});
f.querySelectorAll('[aria-invalid]').forEach(function(e){e.removeAttribute('aria-invalid');});
fetch(f.action,{method:'POST',body:new FormData(f),headers:{accept:'application/json'}}).then(function(r){return r.json().then(function(x){return{s:r.status,x:x};});}).then(function(a){
b.disabled=false;
if(a.s<300){var d=document.createElement('p');d.className='done';d.setAttribute('role','status');d.setAttribute('tabindex','-1');d.setAttribute('data-testid',f.getAttribute('data-done'));d.textContent=a.x.message;f.replaceWith(d);d.focus();return;}
var es=a.x.errors||[],first=null;es.forEach(function(e){var n=String(e.pointer||'').slice(1),el=document.getElementById(f.id+'-err-'+n),i=document.getElementById(f.id+'-'+n);
if(el){el.textContent=e.message;el.hidden=false;}if(i){i.setAttribute('aria-invalid','true');if(!first)first=i;}});
st.textContent=es.length?FIX:(a.x.title||FAILED);if(first)first.focus();
}).catch(function(){b.disabled=false;st.textContent=FAILED;});});});})();`;

/** What a form shows after a post: the values to keep, the problems, or the reference it produced. */
export interface FormState<F extends string> {
  readonly values: Readonly<Partial<Record<F | string, string>>>;
  readonly errors: readonly FieldError[];
  readonly done: string | null;
}

export const EMPTY_FORM: FormState<string> = { values: {}, errors: [], done: null };

/** Everything the page shows, already filtered by what the organisation makes public. */
export interface ConsumerPageModel {
  readonly lang: ConsumerLang;
  readonly nonce: string;
  /** `/01/{gtin}[/10/{lot}][/21/{serial}]`: the forms' code and the language switch link. */
  readonly path: string;
  readonly product: { readonly name: string; readonly brand: string | null };
  readonly lotNumber: string | null;
  readonly serial: string | null;
  /** Whether Lotline has a production record of the code (a lot or product code: of its product). */
  readonly known: boolean;
  readonly facts: {
    readonly producedAt: LocalTime | null;
    readonly expiresAt: LocalTime | null;
    readonly plantCity: string | null;
    readonly qc: { readonly status: QcStatus; readonly at: LocalTime | null } | null;
  };
  readonly story: string | null;
  readonly recall: RecallStatus;
  readonly authenticity: Authenticity | null;
  readonly complaint: FormState<string>;
  readonly returnForm: FormState<string>;
}

function errorOf(form: FormState<string>, field: string, lang: ConsumerLang): string | null {
  const e = form.errors.find((x) => x.field === field);
  return e ? words(lang).errors[e.rule] : null;
}

/** A labelled input with its error line (ids: `{form}-{field}` and `{form}-err-{field}`). */
function field(formId: string, form: FormState<string>, lang: ConsumerLang, name: string, label: string, input: (attrs: string) => string): string {
  const error = errorOf(form, name, lang);
  const id = `${formId}-${name}`;
  const errId = `${formId}-err-${name}`;
  const attrs = `id="${id}" name="${name}" aria-describedby="${errId}"${error ? ' aria-invalid="true"' : ''}`;
  return `<label for="${id}">${h(label)}</label>${input(attrs)}<p class="err" id="${errId}" data-testid="${formId}-error-${name}"${error ? '' : ' hidden'}>${h(error ?? '')}</p>`;
}

const value = (form: FormState<string>, name: string) => h(form.values[name] ?? '');

function formStatus(form: FormState<string>, lang: ConsumerLang): string {
  return `<p class="err" data-role="status" role="status" aria-live="polite">${form.errors.length > 0 ? h(words(lang).fixErrors) : ''}</p>`;
}

function returnSection(m: ConsumerPageModel, r: Extract<RecallStatus, { kind: 'recalled' }>): string {
  const w = words(m.lang);
  const f = m.returnForm;
  const body = f.done !== null
    ? `<p class="done" role="status" data-testid="return-done">${h(w.returnDone(f.done))} <strong data-testid="return-reference">${h(f.done)}</strong></p>`
    : `<form id="return-form" data-testid="return-form" method="post" action="/consumer/returns" enctype="multipart/form-data" data-enhance data-done="return-done">
<input type="hidden" name="code" value="${h(m.path)}"><input type="hidden" name="lang" value="${m.lang}">
<fieldset><legend>${h(w.compensation)}</legend>${r.compensation
        .map((c) => `<label class="radio"><input type="radio" name="compensation" value="${c}"${(f.values.compensation ?? r.compensation[0]) === c ? ' checked' : ''}> ${h(w.compensations[c] ?? c)}</label>`)
        .join('')}</fieldset>
<p class="err" id="return-form-err-compensation" data-testid="return-form-error-compensation"${errorOf(f, 'compensation', m.lang) ? '' : ' hidden'}>${h(errorOf(f, 'compensation', m.lang) ?? '')}</p>
${field('return-form', f, m.lang, 'quantity', w.quantity, (a) => `<input type="number" ${a} min="1" max="20" step="1" inputmode="numeric" value="${value(f, 'quantity') || '1'}">`)}
${field('return-form', f, m.lang, 'name', w.name, (a) => `<input type="text" ${a} maxlength="200" autocomplete="name" value="${value(f, 'name')}">`)}
${field('return-form', f, m.lang, 'phone', w.phone, (a) => `<input type="tel" ${a} maxlength="40" autocomplete="tel" value="${value(f, 'phone')}">`)}
${field('return-form', f, m.lang, 'email', w.email, (a) => `<input type="email" ${a} maxlength="200" autocomplete="email" value="${value(f, 'email')}">`)}
${field('return-form', f, m.lang, 'city', w.city, (a) => `<input type="text" ${a} maxlength="100" autocomplete="address-level2" value="${value(f, 'city')}">`)}
${formStatus(f, m.lang)}<button type="submit">${h(w.returnSubmit)}</button></form>`;
  return `<div class="alert" role="alert" data-testid="recall-banner" data-case="${h(r.caseNumber)}">
<h2>${h(w.recallHeading)}</h2><p>${h(w.recallCase(r.caseNumber))}: ${h(r.title)}</p>
<h3>${h(w.whatToDo)}</h3><p data-testid="recall-instructions">${h(r.instruction)}</p>
<h3>${h(w.compensation)}</h3><ul data-testid="compensation">${r.compensation.map((c) => `<li>${h(w.compensations[c] ?? c)}</li>`).join('')}</ul>
<h3>${h(w.howToReturn)}</h3><p>${h(w.returnIntro)}</p>
<div class="panel">${body}</div>
<p data-testid="store-return">${h(w.storeNoReceipt)}</p></div>`;
}

function recallSection(m: ConsumerPageModel): string {
  const w = words(m.lang);
  const r = m.recall;
  switch (r.kind) {
    case 'recalled':
      return returnSection(m, r);
    case 'checkLot':
      return `<div class="notice" role="alert" data-testid="recall-check-lot">${h(w.checkLot(r.caseNumber))}</div>`;
    case 'clear':
      return `<p class="ok" data-testid="recall-status">${h(w.notRecalled)}</p>`;
    default: {
      const never: never = r;
      return never;
    }
  }
}

const time = (t: LocalTime) => `<time datetime="${h(t.iso)}">${h(t.text)}</time>`;

function factsSection(m: ConsumerPageModel): string {
  const w = words(m.lang);
  const rows: string[] = [];
  const row = (label: string, testId: string, html: string) => rows.push(`<dt>${h(label)}</dt><dd data-testid="${testId}">${html}</dd>`);
  if (m.lotNumber !== null) row(w.batch, 'batch', h(m.lotNumber));
  if (m.serial !== null) row(w.serial, 'serial', h(m.serial));
  if (m.facts.producedAt) row(w.producedAt, 'produced-at', time(m.facts.producedAt));
  if (m.facts.expiresAt) row(w.expiresAt, 'expires-at', time(m.facts.expiresAt));
  if (m.facts.plantCity) row(w.plantCity, 'plant-city', h(m.facts.plantCity));
  const qc = m.facts.qc;
  if (qc && (qc.status === 'passed' || qc.status === 'inspected')) row(w.qc, 'qc-status', `${h(qc.status === 'passed' ? w.qcPassed : w.qcInspected)}${qc.at ? ` (${time(qc.at)})` : ''}`);
  const unknown = m.known ? '' : `<p class="notice" data-testid="unknown-unit">${h(w.unknownUnit)}</p>`;
  return `<section id="facts" aria-labelledby="facts-h"><h2 id="facts-h">${h(w.title)}</h2>${rows.length ? `<dl>${rows.join('')}</dl>` : ''}${unknown}</section>`;
}

function authenticitySection(m: ConsumerPageModel): string {
  const a = m.authenticity;
  if (a === null) return '';
  const w = words(m.lang);
  const since = (d: Date) => d.toISOString().slice(0, 10);
  const text = a.level === 'first' ? w.firstScan : a.level === 'repeat' ? w.rescanned(a.scans, since(a.since)) : w.manyScans(a.scans, since(a.since), a.networks >= 3);
  return `<section aria-labelledby="auth-h"><h2 id="auth-h">${h(w.authenticity)}</h2><p class="${a.level === 'warn' ? 'warn' : 'ok'}" data-testid="authenticity" data-level="${a.level}">${h(text)}</p></section>`;
}

function complaintSection(m: ConsumerPageModel): string {
  const w = words(m.lang);
  const f = m.complaint;
  const body = f.done !== null
    ? `<p class="done" role="status" data-testid="complaint-done">${h(w.complaintDone(f.done))}</p>`
    : `<p>${h(w.complaintIntro)}</p><form id="complaint-form" data-testid="complaint-form" method="post" action="/consumer/complaints" enctype="multipart/form-data" data-enhance data-done="complaint-done">
<input type="hidden" name="code" value="${h(m.path)}"><input type="hidden" name="lang" value="${m.lang}">
${field('complaint-form', f, m.lang, 'text', w.complaintText, (a) => `<textarea ${a} maxlength="2000" required>${value(f, 'text')}</textarea>`)}
${field('complaint-form', f, m.lang, 'photo', w.photo, (a) => `<input type="file" ${a} accept="image/jpeg,image/png,image/webp">`)}
${field('complaint-form', f, m.lang, 'phone', w.phone, (a) => `<input type="tel" ${a} maxlength="40" autocomplete="tel" value="${value(f, 'phone')}">`)}
${field('complaint-form', f, m.lang, 'email', w.email, (a) => `<input type="email" ${a} maxlength="200" autocomplete="email" value="${value(f, 'email')}">`)}
${formStatus(f, m.lang)}<button type="submit">${h(w.complaintSubmit)}</button></form>`;
  return `<section id="complaint" aria-labelledby="complaint-h"><h2 id="complaint-h">${h(w.complaintHeading)}</h2>${body}</section>`;
}

function shell(lang: ConsumerLang, nonce: string, title: string, main: string, script: boolean): string {
  const w = words(lang);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${h(title)}</title><style nonce="${nonce}">${CSS}</style></head>
<body><main>${main}<footer>Lotline</footer></main>${script ? `<script nonce="${nonce}">${SCRIPT(w.fixErrors, w.errors.failed)}</script>` : ''}</body></html>`;
}

/** The consumer page of a scanned code. */
export function renderConsumerPage(m: ConsumerPageModel): string {
  const w = words(m.lang);
  const other: ConsumerLang = m.lang === 'en' ? 'zh-CN' : 'en';
  const header = `<header><p class="brand">${h(m.product.brand ?? '')}</p><a href="${h(m.path)}?lang=${other}" lang="${other}" hreflang="${other}" data-testid="lang-switch">${h(w.otherLang)}</a></header>`;
  const story = m.story === null ? '' : `<section aria-labelledby="story-h"><h2 id="story-h">${h(w.story)}</h2><p data-testid="origin-story">${h(m.story)}</p></section>`;
  const main = `${header}<h1 data-testid="product-name">${h(m.product.name)}</h1>
<section id="recall" aria-label="${h(w.recallHeading)}">${recallSection(m)}</section>
${factsSection(m)}${story}${authenticitySection(m)}${complaintSection(m)}`;
  return shell(m.lang, m.nonce, `${m.product.name} · ${w.title}`, main, true);
}

/** The friendly 404 of a code Lotline cannot place, in both languages (the page language first). */
export function renderUnknownPage(lang: ConsumerLang, nonce: string): string {
  const order: ConsumerLang[] = lang === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en'];
  const main = order
    .map((l, i) => `<section lang="${l}"${i === 0 ? ' data-testid="unknown-product"' : ''}>${i === 0 ? `<h1>${h(words(l).unknownTitle)}</h1>` : `<h2>${h(words(l).unknownTitle)}</h2>`}<p>${h(words(l).unknownBody)}</p></section>`)
    .join('');
  return shell(lang, nonce, words(lang).unknownTitle, main, false);
}

/** The 429 page of a browser that asked too often, in both languages. */
export function renderTooManyPage(lang: ConsumerLang, nonce: string): string {
  const order: ConsumerLang[] = lang === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en'];
  const main = order.map((l, i) => `<section lang="${l}"${i === 0 ? ' data-testid="too-many"' : ''}><h${i + 1}>${h(words(l).tooManyTitle)}</h${i + 1}><p>${h(words(l).tooManyBody)}</p></section>`).join('');
  return shell(lang, nonce, words(lang).tooManyTitle, main, false);
}
