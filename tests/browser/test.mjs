// vigil's browser tests: log in, create a case with a victim, find it by
// search, refer it, add a suspect, switch languages, check the security
// headers, CSRF, escaping and the back button after logging out; the public
// side in each language (read a statement, page feedback, a tip and its
// follow-up code); screenshots of the main pages in each language. JavaScript
// is off in the browser: every page must work without it.
// Usage: node test.mjs BASE_URL SCREENSHOT_DIR PROFILE_DIR
// Prints a cmocka-like summary so tests/run-all can count the results.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, shots, profile] = process.argv.slice(2);
if (!base || !shots || !profile) {
    console.error('usage: node test.mjs BASE_URL SCREENSHOT_DIR PROFILE_DIR');
    process.exit(2);
}
mkdirSync(shots, { recursive: true });
const PASSWORD = 'vigil-demo-2026';
const LANGS = ['zh-Hant', 'pt', 'en'];
const token = 'sentinel' + Date.now().toString(36);
const victim = { first: 'Maria', second: 'Testcase' + Date.now().toString(36).slice(-4) };

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function check(cond, what) {
    if (!cond) throw new Error(what);
}

const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-TW',
    javaScriptEnabled: false, // every page must work without it
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(10000);
const errors = [];
// Error statuses are expected (404, 403, 400 pages); anything else logged is not.
page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
});
page.on('pageerror', (e) => errors.push(String(e)));

const shot = (name) => page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
const lang = () => page.evaluate(() => document.documentElement.lang);
const mainText = () => page.locator('main').innerText();
let caseUrl = null;
let reference = null;

async function login(user) {
    await page.goto(base + '/login');
    await page.fill('#username', user);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(base + '/'), page.click('form[action="/login"] button')]);
}

test('login_page_in_default_language', async () => {
    const resp = await page.goto(base + '/login');
    check(resp.status() === 200, 'status ' + resp.status());
    check((await lang()) === 'zh-Hant', 'html lang is ' + (await lang()));
    check((await page.title()).includes('登入'), 'title: ' + (await page.title()));
    const h = resp.headers();
    check(h['content-security-policy'] && !h['content-security-policy'].includes('unsafe-inline'),
        'CSP: ' + h['content-security-policy']);
    check(h['x-frame-options'] === 'DENY', 'X-Frame-Options');
    check(h['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options');
    check(!!h['referrer-policy'], 'Referrer-Policy');
    await shot('login-zh-Hant');
});

test('wrong_password_is_refused', async () => {
    await page.goto(base + '/login');
    await page.fill('#username', 'investigator');
    await page.fill('#password', 'not-the-password');
    await page.click('form[action="/login"] button');
    await page.waitForSelector('[role=alert]');
    check((await page.locator('[role=alert]').innerText()).includes('錯誤'), 'error message');
    check((await page.getAttribute('#username', 'aria-describedby')) === 'login-error',
        'error is announced via aria-describedby');
});

test('login_sets_a_strict_cookie', async () => {
    await login('investigator');
    const c = (await context.cookies()).find((x) => x.name === 'vigil_session');
    check(c && c.httpOnly && c.sameSite === 'Strict', 'session cookie flags ' + JSON.stringify(c));
    check((await page.locator('h1').innerText()) === '首頁', 'home heading');
    await shot('home-zh-Hant');
});

test('intake_form_shows_errors_beside_fields', async () => {
    await page.goto(base + '/cases/new');
    await shot('case-new-zh-Hant');
    await page.click('form[action="/cases/new"] button[type=submit]');
    await page.waitForSelector('#errors');
    await shot('case-new-errors-zh-Hant');
    const cat = page.locator('#f-category');
    check((await cat.getAttribute('aria-invalid')) === 'true', 'category marked invalid');
    const desc = await cat.getAttribute('aria-describedby');
    check(desc && desc.includes('f-category-err'), 'category aria-describedby ' + desc);
    check((await page.locator('#f-category-err').innerText()).length > 0, 'error text shown');
    await page.fill('#f-country_of_recruitment', 'XX');
    await page.click('form[action="/cases/new"] button[type=submit]');
    await page.waitForSelector('#f-country_of_recruitment-err');
});

test('create_case_with_victim', async () => {
    await page.goto(base + '/cases/new');
    await page.selectOption('#f-category', 'trafficking');
    await page.selectOption('#f-source', 'hotline');
    await page.fill('#f-place_of_exploitation', 'Cotai');
    await page.fill('#f-country_of_exploitation', 'MO');
    await page.fill('#f-v-prs_FirstName', victim.first);
    await page.fill('#f-v-prs_SecondName', victim.second);
    await page.selectOption('#f-v-prs_Gender', 'Feminine');
    await page.fill('#f-v-prs_Birthdate', '1999-04-02');
    await page.fill('#f-v-prs_Citizenship', 'PH');
    await page.check('input[name="v.vic_TypeOfExploitation"][value="ForcedLabour"]');
    await page.check('#f-v-vic_AgreementToManagePersonalData');
    await page.fill('#f-v-vic_AgeWhenTrafficked', '24');
    await page.fill('#f-text', 'Reported through the hotline; ' + token + '.');
    await Promise.all([page.waitForURL(/\/cases\/\d+$/),
        page.click('form[action="/cases/new"] button[type=submit]')]);
    caseUrl = page.url();
    reference = (await page.locator('h1').innerText()).trim();
    check(/^TIP-\d{4}-\d{4}$/.test(reference), 'reference ' + reference);
    const text = await mainText();
    check(text.includes(victim.second), 'victim shown on the case');
    check((await page.locator('script').count()) === 0, 'pages need no JavaScript');
    check(text.includes('強迫勞動'), 'exploitation type label translated');
    await shot('case-zh-Hant');
});

test('hostile_input_is_shown_as_text', async () => {
    let dialogs = 0;
    const onDialog = (d) => { dialogs++; d.dismiss(); };
    page.on('dialog', onDialog);
    const evil1 = '<script>alert(1)</script>';
    const evil2 = '"><img src=x onerror=alert(2)>';
    await page.goto(base + '/cases/new');
    await page.selectOption('#f-category', 'labour_exploitation');
    await page.selectOption('#f-source', 'inspection');
    await page.fill('#f-place_of_recruitment', evil2);
    await page.fill('#f-v-prs_FirstName', evil1);
    await page.fill('#f-text', evil2 + ' ' + evil1);
    await Promise.all([page.waitForURL(/\/cases\/\d+$/),
        page.click('form[action="/cases/new"] button[type=submit]')]);
    const text = await mainText();
    check(text.includes(evil1) && text.includes(evil2), 'hostile text shown literally');
    check((await page.locator('main img').count()) === 0, 'no injected element');
    await page.goto(base + '/cases?q=' + encodeURIComponent(evil2));
    check((await page.inputValue('#q-q')) === evil2, 'search box keeps the text');
    await page.goto(base + '/login?next=' + encodeURIComponent('javascript:alert(3)'));
    page.off('dialog', onDialog);
    check(dialogs === 0, 'no script ran');
});

test('find_case_by_search', async () => {
    await page.goto(base + '/cases');
    await page.fill('#q-q', token);
    await Promise.all([page.waitForURL(/q=/), page.click('form.filters button[type=submit]')]);
    const rows = page.locator('table.cases tbody tr');
    check((await rows.count()) === 1, 'one result, got ' + (await rows.count()));
    check((await rows.first().innerText()).includes(reference), 'the new case is found');
    await page.goto(base + '/cases');
    await shot('cases-zh-Hant');
});

test('refer_the_case_to_another_agency', async () => {
    await page.goto(caseUrl);
    const form = page.locator('form[action$="/referrals"]');
    await page.locator('details', { has: form }).locator('summary').click();
    await page.selectOption('#ref-to', 'IAS');
    await page.selectOption('#ref-reason', 'AdditionalServicesRequired');
    // the victim's referral consent is not recorded here: give the override reason
    await page.fill('#ref-override', 'Urgent shelter needed tonight');
    await Promise.all([page.waitForURL(caseUrl), form.locator('button[type=submit]').click()]);
    const refs = await page.locator('section[aria-labelledby=h-refs] table').innerText();
    check(refs.includes('IAS') && refs.includes('待處理'), 'the pending referral is listed');
});

test('move_the_case_on_and_refuse_a_stale_form', async () => {
    await page.goto(caseUrl);
    const path = new URL(caseUrl).pathname;
    const form = page.locator(`form[action="${path}"]`);
    const version = await form.locator('input[name=version]').inputValue();
    const csrf = await form.locator('input[name=csrf]').inputValue();
    await page.locator('details', { has: form }).locator('summary').click();
    await page.selectOption('#up-stage', 'screening');
    await Promise.all([page.waitForURL(caseUrl), form.locator('button[type=submit]').click()]);
    check((await page.locator('section[aria-labelledby=h-case]').innerText()).includes('甄別'),
        'the stage changed');
    const r = await page.request.post(caseUrl, {
        form: { csrf, version, stage: 'protection' }, maxRedirects: 0,
    });
    check(r.status() === 409, 'a stale version is refused: ' + r.status());
});

test('add_a_suspect_to_the_case', async () => {
    await page.goto(caseUrl);
    await Promise.all([page.waitForURL(/\/persons\/new$/), page.click('a[href$="/persons/new"]')]);
    await page.fill('#f-v-prs_SecondName', 'Suspectname');
    await page.click('form[action$="/persons"] button[type=submit]');
    await page.waitForSelector('#f-v-role-err');
    check((await page.getAttribute('#f-v-role', 'aria-describedby')) === 'f-v-role-err',
        'the role error is announced');
    check((await page.inputValue('#f-v-prs_SecondName')) === 'Suspectname', 'input kept');
    await shot('person-new-errors-zh-Hant');
    await page.selectOption('#f-v-role', 'suspect');
    await page.check('input[name="p.per_RoleInProcess"][value="RecruiterOrIntermediary"]');
    await Promise.all([page.waitForURL(caseUrl),
        page.click('form[action$="/persons"] button[type=submit]')]);
    const persons = await page.locator('section[aria-labelledby=h-persons]').innerText();
    check(persons.includes('Suspectname') && persons.includes('疑犯'), 'the suspect is listed');
});

test('switch_to_portuguese_then_english', async () => {
    await page.goto(caseUrl);
    const zh = await mainText();
    await Promise.all([page.waitForURL(/lang=pt/), page.click('nav.langs a[hreflang=pt]')]);
    check((await lang()) === 'pt', 'html lang pt');
    const pt = await mainText();
    check(pt !== zh, 'page text changed');
    check(pt.includes('Pessoas') && pt.includes('Trabalho forçado'), 'Portuguese labels');
    check(/\d{2}\/\d{2}\/\d{4}/.test(pt), 'Portuguese date format');
    await shot('case-pt');
    for (const [path, name] of [['/', 'home'], ['/cases', 'cases'], ['/cases/new', 'case-new']]) {
        await page.goto(base + path);
        check((await lang()) === 'pt', 'the cookie keeps pt on ' + path);
        await shot(name + '-pt');
    }
    await page.goto(caseUrl);
    await Promise.all([page.waitForURL(/lang=en/), page.click('nav.langs a[hreflang=en]')]);
    check((await lang()) === 'en', 'html lang en');
    const en = await mainText();
    check(en !== pt && en.includes('Persons') && en.includes('Forced labour'), 'English labels');
    check(/\d{1,2} [A-Z][a-z]{2} \d{4}/.test(en), 'English date format');
    await shot('case-en');
    for (const [path, name] of [['/', 'home'], ['/cases', 'cases'], ['/cases/new', 'case-new']]) {
        await page.goto(base + path);
        await shot(name + '-en');
    }
});

test('error_pages_are_html_in_the_language', async () => {
    let r = await page.goto(base + '/no/such/page');
    check(r.status() === 404, '404 status');
    check((await page.locator('h1').innerText()) === 'Page not found', 'English 404');
    await shot('404-en');
    r = await page.goto(base + '/no/such/page?lang=pt');
    check((await page.locator('h1').innerText()) === 'Página não encontrada', 'Portuguese 404');
    await shot('404-pt');
    r = await page.goto(base + '/admin/users?lang=zh-Hant');
    check(r.status() === 403, '403 for an investigator on the users page');
    check((await lang()) === 'zh-Hant', 'zh-Hant 403');
    await shot('403-zh-Hant');
    await page.goto(base + '/no/such/page');
    await shot('404-zh-Hant');
});

test('post_without_csrf_token_is_refused', async () => {
    const r = await page.request.post(base + '/cases/new', {
        form: { category: 'trafficking', source: 'police' }, maxRedirects: 0,
    });
    check(r.status() === 403, 'status ' + r.status());
    const l = await page.request.post(base + '/login', {
        form: { csrf: 'x'.repeat(43), username: 'investigator', password: PASSWORD },
        maxRedirects: 0,
    });
    check(l.status() === 403, 'login with a forged token: ' + l.status());
    check((await l.text()).includes('<html lang='), 'the 403 is an HTML page');
});

test('static_files_cannot_escape_static', async () => {
    for (const p of ['/static/../Makefile', '/static/%2e%2e/Makefile', '/static/..%2fMakefile',
        '/static/vigil.css/x', '/static/.htaccess']) {
        const r = await page.request.get(base + p, { maxRedirects: 0 });
        check(r.status() === 404, p + ' gave ' + r.status());
    }
    const css = await page.request.get(base + '/static/vigil.css');
    check(css.status() === 200 && css.headers()['content-type'].startsWith('text/css'), 'css');
});

test('keyboard_focus_is_visible', async () => {
    await page.goto(base + '/cases');
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement.className);
    check(skip === 'skip', 'first Tab reaches the skip link, got ' + skip);
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', 'focused element has an outline');
});

test('every_input_has_a_label', async () => {
    // Every visible form control on the main pages is named: a <label for>,
    // a wrapping <label>, or aria-label / aria-labelledby.
    const pages = ['/', '/cases', '/cases/new', caseUrl.replace(base, ''),
        caseUrl.replace(base, '') + '/persons/new', '/public/', '/public/tip', '/public/tip/follow'];
    for (const p of pages) {
        await page.goto(base + p);
        const unnamed = await page.evaluate(() => {
            const bad = [];
            for (const el of document.querySelectorAll('input, select, textarea')) {
                const t = (el.getAttribute('type') || '').toLowerCase();
                if (t === 'hidden' || t === 'submit' || t === 'button') continue;
                if (el.closest('[aria-hidden=true]') || el.tabIndex < 0) continue; // honeypot
                const named = (el.id && document.querySelector('label[for="' + el.id + '"]')) ||
                    el.closest('label') || el.getAttribute('aria-label') ||
                    el.getAttribute('aria-labelledby');
                if (!named) bad.push(el.name || el.id || el.outerHTML.slice(0, 60));
            }
            return bad;
        });
        check(unnamed.length === 0, p + ': unlabelled ' + unnamed.join(', '));
    }
});

test('admin_manages_users', async () => {
    await page.goto(base + '/?lang=zh-Hant');
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
    await login('admin');
    for (const l of LANGS) {
        await page.goto(base + '/admin/users?lang=' + l);
        await shot('users-' + l);
    }
    const name = 'tester' + Date.now().toString(36).slice(-5);
    await page.fill('#u-name', name);
    await page.selectOption('#u-role', 'caseworker');
    await page.selectOption('#u-org', 'IAS');
    await page.fill('#u-pw', 'short');
    await page.click('form[action="/admin/users"] button[type=submit]');
    await page.waitForSelector('#u-pw-err');
    await page.fill('#u-pw', 'a-long-enough-password');
    await Promise.all([page.waitForURL(base + '/admin/users'),
        page.click('form[action="/admin/users"] button[type=submit]')]);
    const row = page.locator('tr', { hasText: name });
    check((await row.count()) === 1, 'the new user is listed');
    await row.locator('button.danger').click();
    await page.waitForURL(base + '/admin/users');
    check((await page.locator('tr', { hasText: name }).innerText()).includes('Disabled'),
        'the user is disabled');
});

test('auditor_reads_the_case_trail', async () => {
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
    await login('auditor');
    const id = caseUrl.split('/').pop();
    for (const l of LANGS) {
        await page.goto(base + '/audit?lang=' + l);
        await shot('audit-' + l);
    }
    await page.goto(base + '/audit?case=' + id);
    const text = await mainText();
    for (const action of ['case.create', 'person.create', 'note.create', 'person.read'])
        check(text.includes(action), 'trail has ' + action);
    check(!text.includes(victim.second), 'no personal data in the audit trail');
    const r = await page.goto(caseUrl);
    check(r.status() === 403, 'the auditor cannot open the case itself: ' + r.status());
});

test('caseworker_accepts_a_referral', async () => {
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
    await login('caseworker');
    await page.goto(base + '/?lang=zh-Hant');
    await shot('home-caseworker-zh-Hant');
    const accept = page.locator('form[action$="/accept"] button').first();
    check((await accept.count()) === 1, 'the demo has pending referrals for IAS');
    await Promise.all([page.waitForURL(/\/cases\/\d+$/), accept.click()]);
    check((await page.locator('h1').innerText()).trim() === reference,
        'the newest referral is ours, and accepting it opens the case');
    check((await mainText()).includes(victim.second), 'the receiving agency now sees the victim');
});

test('logout_then_back_shows_no_case_data', async () => {
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
    await login('investigator');
    await page.goto(caseUrl + '?lang=en');
    check((await mainText()).includes(victim.second), 'case visible while logged in');
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
    await page.goBack();
    await page.waitForLoadState();
    const html = await page.content();
    check(!html.includes(victim.second) && !html.includes(reference),
        'no case data after back: ' + page.url());
    check(page.url().includes('/login'), 'back lands on the login page, got ' + page.url());
    await shot('after-logout-back');
    for (const l of LANGS)
        if (l !== 'zh-Hant') {
            await page.goto(base + '/login?lang=' + l);
            await shot('login-' + l);
        }
});

// ---- the public side: statements, page feedback, tips (no login) ----------
const stTitle = { zh: '關於打擊強迫勞動的聲明 ' + token, en: 'Statement on forced labour ' + token };
let statementPath = null;
const NOTICE = {
    'zh-Hant': '以中文文本為準',
    pt: 'O texto em chinês é o original',
    en: 'The Chinese text is the original',
};
const REQUIRED = {
    'zh-Hant': '此欄必須填寫',
    pt: 'este campo é obrigatório',
    en: 'this field is required',
};

test('secretariat_writes_and_publishes_a_statement', async () => {
    await login('secretariat');
    await page.goto(base + '/statements/new?lang=en');
    await page.click('form[action="/statements/new"] button[type=submit]');
    await page.waitForSelector('#f-title_zh-err');
    check((await page.getAttribute('#f-title_zh', 'aria-invalid')) === 'true', 'title marked');
    await page.fill('#f-title_en', stTitle.en);
    await page.fill('#f-title_zh', stTitle.zh);
    await page.fill('#f-body_zh', '委員會關注外地僱員被扣押證件的情況。\n\n如發現懷疑個案，請即舉報。');
    await page.fill('#f-body_en', 'The committee is concerned about workers whose papers are ' +
        'withheld.\n\nReport any suspected case.');
    await shot('statement-new-en');
    await Promise.all([page.waitForURL(/\/statements\/\d+$/),
        page.click('form[action="/statements/new"] button[type=submit]')]);
    const id = page.url().split('/').pop();
    statementPath = '/public/statements/' + id;
    const before = await page.request.get(base + statementPath);
    check(before.status() === 404, 'a draft is not public: ' + before.status());
    await shot('statement-edit-en');
    await Promise.all([page.waitForURL(/\/statements\/\d+$/), page.click('#publish')]);
    check((await mainText()).includes('Published'), 'the statement is published');
    await page.goto(base + '/statements');
    await shot('statements-en');
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
});

for (const l of LANGS) {
    test('public_reads_a_statement_' + l, async () => {
        const r = await page.goto(base + '/public/?lang=' + l);
        check(r.status() === 200, 'public home without login: ' + r.status());
        check((await lang()) === l, 'html lang ' + (await lang()));
        check((await page.locator('#translation-notice').innerText()).includes(NOTICE[l]),
            'the translation notice');
        check((await page.locator('form[action="/public/feedback"]').count()) === 1, 'feedback form');
        const hp = await page.evaluate(() => document.getElementById('fb-website').getBoundingClientRect().right);
        check(hp <= 0, 'the honeypot field is off screen');
        await shot('public-home-' + l);
        await Promise.all([page.waitForURL(/\/public\/statements\/\d+$/),
            page.click(`main a[href="${statementPath}"]`)]);
        const h1 = await page.locator('h1').innerText();
        check(h1 === (l === 'en' ? stTitle.en : stTitle.zh), 'title in ' + l + ': ' + h1);
        const note = await page.locator('.untranslated').count();
        check(note === (l === 'pt' ? 1 : 0), 'the missing-translation note only in pt');
        check((await page.locator('#translation-notice').innerText()).includes(NOTICE[l]),
            'the notice on the statement');
        await shot('public-statement-' + l);
    });

    test('public_page_feedback_' + l, async () => {
        await page.goto(base + statementPath + '?lang=' + l);
        await page.fill('#fb-contact', 'reader@example.org');
        await page.click('form[action="/public/feedback"] button[type=submit]');
        await page.waitForSelector('#fb-error');
        check((await page.locator('#fb-error').innerText()).includes(REQUIRED[l]),
            'the error in ' + l + ': ' + (await page.locator('#fb-error').innerText()));
        check((await page.inputValue('#fb-contact')) === 'reader@example.org', 'contact kept');
        check((await page.getAttribute('#fb-message', 'aria-invalid')) === 'true', 'message marked');
        await shot('public-feedback-error-' + l);
        await page.fill('#fb-message', 'The second paragraph has a typo (' + l + ', ' + token + ').');
        await page.click('form[action="/public/feedback"] button[type=submit]');
        await page.waitForSelector('#feedback-sent');
        check((await lang()) === l, 'thanks in ' + l);
        await shot('public-feedback-sent-' + l);
    });

    test('public_tip_and_follow_up_' + l, async () => {
        await page.goto(base + '/public/tip?lang=' + l);
        await shot('public-tip-' + l);
        await page.fill('#tip-where', 'Taipa');
        await page.click('#tip-form button[type=submit]');
        await page.waitForSelector('#tip-error');
        check((await page.inputValue('#tip-where')) === 'Taipa', 'the form keeps what was typed');
        await page.fill('#tip-what', 'Six workers sleep in the restaurant and cannot leave.');
        await page.fill('#tip-when', '2026-11-20');
        await page.click('#tip-form button[type=submit]');
        await page.waitForSelector('#follow-code');
        const code = (await page.locator('#follow-code').innerText()).trim();
        check(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/.test(code), 'follow-up code ' + code);
        await shot('public-tip-code-' + l);
        await page.goto(base + '/public/tip/follow?lang=' + l);
        await page.fill('#follow-code-input', code.toLowerCase());
        await page.click('form[action="/public/tip/follow"] button[type=submit]');
        await page.waitForSelector('#tip-state');
        check((await page.locator('#tip-additions').innerText()) === '0', 'no additions yet');
        await page.fill('#add-what', 'They are moved to another flat at night.');
        await page.click('#add-what >> xpath=ancestor::form//button[@type="submit"]');
        await page.waitForSelector('#tip-added');
        check((await page.locator('#tip-additions').innerText()) === '1', 'one addition');
        check(!(await mainText()).includes('Six workers'), 'the tip text is never shown back');
        await shot('public-follow-' + l);
    });
}

test('public_atom_feed', async () => {
    for (const l of LANGS) {
        const r = await page.request.get(base + '/public/statements.atom?lang=' + l);
        check(r.status() === 200, 'feed status ' + r.status());
        check(r.headers()['content-type'].startsWith('application/atom+xml'), 'feed type');
        const xml = await r.text();
        check(xml.includes('<feed xmlns="http://www.w3.org/2005/Atom"'), 'an Atom feed');
        check(xml.includes(l === 'en' ? stTitle.en : stTitle.zh), 'our statement in ' + l);
    }
});

test('secretariat_reads_the_page_feedback', async () => {
    await login('secretariat');
    await page.goto(base + '/feedback?lang=en');
    check((await mainText()).includes(token), 'the feedback is in the queue');
    await shot('feedback-en');
    await Promise.all([page.waitForURL(/\/login/), page.click('header form[action="/logout"] button')]);
});

console.log(`[==========] Running ${tests.length} test(s).`);
const failed = [];
for (const t of tests) {
    console.log(`[ RUN      ] ${t.name}`);
    try {
        await t.fn();
        console.log(`[       OK ] ${t.name}`);
    } catch (e) {
        console.log(`[  ERROR   ] ${t.name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
        console.log(`[  FAILED  ] ${t.name}`);
        failed.push(t.name);
    }
}
await context.close();
if (errors.length)
    console.log('browser console errors:\n  ' + errors.join('\n  '));
console.log(`[==========] ${tests.length} test(s) run.`);
console.log(`[  PASSED  ] ${tests.length - failed.length} test(s).`);
if (failed.length) {
    console.log(`[  FAILED  ] ${failed.length} test(s), listed below:`);
    for (const f of failed)
        console.log(`[  FAILED  ] ${f}`);
}
process.exit(failed.length ? 1 : 0);
