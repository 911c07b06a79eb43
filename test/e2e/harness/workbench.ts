/**
 * The VS Code workbench in Debian's Chromium, driven by playwright-core. Every step waits on what
 * the UI shows (a widget opening or closing, the active tab, the cursor position in the status
 * bar, a squiggle), never on a fixed delay: a keystroke sent while quick-open is still closing can
 * be swallowed, so each step first waits for the editor to have the focus back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS } from './environment';

/** Chromium as root in a container: no sandbox, no GPU, nothing that reaches the network. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const UI_TIMEOUT_MS = 30_000;

/** User settings for a quiet, reproducible workbench (no welcome page, chat, tips or update checks). */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.editor.enablePreview': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  'editor.fontSize': 15,
  'files.autoSave': 'off',
};

export class Workbench {
  private shots = 0;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens `folder` in the code-server at `url` in a fresh Chromium profile under `profileDir`. */
  static async open(chromiumPath: string, url: string, folder: string, profileDir: string): Promise<Workbench> {
    fs.rmSync(profileDir, { recursive: true, force: true });
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1400, height: 860 },
      timeout: UI_TIMEOUT_MS,
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor();
    return new Workbench(context, page);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** Saves a screenshot as test-artifacts/e2e/<prefix>-<n>-<name>.png and returns its path. */
  async screenshot(prefix: string, name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${prefix}-${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The PerfLens status bar item, once it says the server is ready. */
  async waitForPerflensReady(): Promise<string> {
    const item = this.page.locator('[id="perflens.perflens.perflens.status"] .statusbar-item-label');
    await item.and(this.page.locator('[aria-label*="PerfLens is ready"]')).waitFor();
    return (await item.getAttribute('aria-label')) ?? '';
  }

  private async waitForEditorFocus(fileName: string): Promise<void> {
    await this.page.locator('.tabs-container .tab.active').and(this.page.locator(`[aria-label^="${fileName}"]`)).waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
  }

  private async quickInput(keys: string, text: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press(keys);
    await widget.waitFor({ state: 'visible' });
    await this.page.keyboard.type(text);
  }

  /** Quick-open (Ctrl+P) `relativePath`; resolves when its editor is active and focused. */
  async openFile(relativePath: string): Promise<void> {
    const fileName = path.basename(relativePath);
    await this.quickInput('Control+P', relativePath);
    const row = this.page.locator('.quick-input-list .monaco-list-row').first();
    await row.and(this.page.locator(`[aria-label^="${fileName} "]`)).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.waitForEditorFocus(fileName);
  }

  /** Go to line (Ctrl+G); resolves when the status bar shows the cursor there. */
  async goTo(line: number, column: number): Promise<void> {
    await this.quickInput('Control+G', `${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('[id="status.editor.selection"] .statusbar-item-label').and(this.page.locator(`[aria-label^="Ln ${line}, Col ${column}"]`)).waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
  }

  /** Hides the panel (Problems, Output…) so the editor gets the room back. */
  async closePanel(): Promise<void> {
    const panel = this.page.locator('.part.panel');
    if (!(await panel.isVisible())) return;
    await this.page.keyboard.press('Control+J');
    await panel.waitFor({ state: 'hidden' });
  }

  /** Closes whatever widget a failed step left open (menus, quick input, hovers). */
  async dismissWidgets(): Promise<void> {
    for (const selector of ['.quick-input-widget', '.action-widget', '.monaco-hover:not(.hidden)']) {
      const widget = this.page.locator(selector).filter({ visible: true }).first();
      if (await widget.isVisible()) {
        await this.page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      }
    }
  }

  /**
   * Moves the cursor to a finding and waits for its squiggle (only lines in view are rendered);
   * returns how many squiggles the editor shows.
   */
  async waitForFindingAt(line: number, column: number): Promise<number> {
    await this.goTo(line, column);
    await this.page.locator('.editor-group-container.active .monaco-editor .squiggly-warning').first().waitFor();
    return this.page.locator('.editor-group-container.active .monaco-editor .squiggly-warning').count();
  }

  /** Waits until the active editor shows at least `count` warning squiggles; returns how many it shows. */
  async waitForSquiggles(count: number): Promise<number> {
    const squiggles = this.page.locator('.editor-group-container.active .monaco-editor .squiggly-warning');
    await squiggles.nth(count - 1).waitFor();
    return squiggles.count();
  }

  /**
   * The warning squiggles on one line of the active editor (the line must be in view: go to it
   * first); undefined while the line is not rendered. Unlike squiggleCount, it does not depend on
   * which other lines the viewport shows (code lenses rendering late move them).
   */
  async squigglesOnLine(line: number): Promise<number | undefined> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor');
    const box = await editor.locator('.line-numbers', { hasText: new RegExp(`^${line}$`) }).boundingBox().catch(() => null);
    if (!box) return undefined;
    const middles = await editor.locator('.squiggly-warning').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return r.top + r.height / 2;
    }));
    return middles.filter((y) => y >= box.y && y <= box.y + box.height).length;
  }

  /** The warning squiggles the active editor shows now. */
  async squiggleCount(): Promise<number> {
    return this.page.locator('.editor-group-container.active .monaco-editor .squiggly-warning').count();
  }

  /** Shows the hover at the cursor (the diagnostic's message) and returns its text. */
  async showHover(): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible' });
    return hover.innerText();
  }

  async hideHover(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'hidden' });
  }

  /** Opens the Problems panel and returns the text of each row once `ready` accepts them. */
  async problems(ready: (rows: string[]) => boolean): Promise<string[]> {
    await this.page.keyboard.press('Control+Shift+M');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor();
    let texts: string[] = [];
    await waitUntil('the Problems panel rows', async () => ready((texts = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim())))))
      .catch((e: Error) => {
        throw new Error(`${e.message}; rows:\n${texts.join('\n')}`);
      });
    return texts;
  }

  /** Opens the quick-fix menu at the cursor (Ctrl+.) and returns its entries' titles. */
  async openQuickFixes(): Promise<string[]> {
    const items = this.page.locator('.action-widget .monaco-list-row.action');
    // A Ctrl+. pressed while the editor is still taking focus, or while the code actions of an edit
    // are being computed, can open nothing: press it again (three times at most, 30 s in all).
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await items.first().waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
    return items.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.trim()));
  }

  /**
   * Picks `title` from the open quick-fix menu; resolves when the menu is gone and the file is
   * dirty (unless `editsFile` is false: a fix that writes another file).
   */
  async pickQuickFix(title: string, editsFile = true): Promise<void> {
    await this.page.locator('.action-widget .monaco-list-row.action', { hasText: title }).click();
    await this.page.locator('.action-widget').filter({ visible: true }).waitFor({ state: 'detached' });
    if (editsFile) await this.page.locator('.tabs-container .tab.active.dirty').waitFor();
  }

  /** Ctrl+S; resolves when the active tab is no longer dirty (save participants such as fix-all have run). */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor();
  }

  /** Waits for the editor of `fileName` to be the active one (a fix or command opened it), then saves it (Ctrl+S). */
  async saveWhenActive(fileName: string): Promise<void> {
    const tab = this.page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`);
    await tab.waitFor();
    await this.page.keyboard.press('Control+S');
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]:not(.dirty)`).waitFor();
  }

  /** Types at the cursor; resolves when the active tab shows unsaved changes. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor();
  }

  /** Waits until the panel (Output, Terminal…) shows `text`; its lines wrap, so they are joined first. */
  async waitForPanelText(text: string): Promise<void> {
    const lines = this.page.locator('.part.panel .view-line');
    // The editor renders spaces as U+00A0.
    await waitUntil(`"${text}" in the panel`, async () => (await lines.allTextContents()).join('').replace(/\u00a0/g, ' ').includes(text));
  }

  /**
   * The end-of-line texts decorations put in the active editor (VS Code draws them as CSS `::after`
   * content), once one matches `pattern`.
   */
  async waitForInlineText(pattern: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    let texts: string[] = [];
    await waitUntil(`inline text matching ${pattern}`, async () => {
      texts = await this.page.locator('.editor-group-container.active .monaco-editor .view-lines span').evaluateAll((els) =>
        els.map((e) => getComputedStyle(e, '::after').content).filter((c) => c && c !== 'none' && c !== 'normal' && c !== '""'),
      );
      return texts.some((t) => pattern.test(t));
    }, timeoutMs).catch(async (e: Error) => {
      // What the extension said instead (an error toast, a progress message) tells a slow start from a failure.
      const toasts = await this.page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => []);
      throw new Error(`${e.message}; inline texts: ${texts.join(' | ')}; notifications: ${toasts.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
    });
    return texts.find((t) => pattern.test(t))!.replace(/^"|"$/g, '');
  }

  /** Clicks the code lens titled `title` in the lens row just above `line` (lenses sit between lines). */
  async clickCodeLens(title: string, line: number): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor');
    const lenses = editor.locator('.codelens-decoration a', { hasText: title });
    const lineNumber = editor.locator('.line-numbers', { hasText: new RegExp(`^${line}$`) });
    // Lenses render as the provider answers and the editor scrolls: wait for the one in the band
    // right above the line (a lens sits within two line heights of its line), never the nearest
    // lens further up, which belongs to another statement.
    let index = -1;
    await waitUntil(`a "${title}" code lens right above line ${line}`, async () => {
      const box = await lineNumber.boundingBox().catch(() => null);
      if (!box) return false;
      const tops = await lenses.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      index = tops.findIndex((top) => top < box.y && top >= box.y - 2.5 * box.height);
      return index >= 0;
    });
    await lenses.nth(index).click();
  }

  /** The notification toast whose text matches `message`, once shown: its text, and a click on one of its buttons. */
  notification(message: RegExp): Promise<{ text: string; click(button: string): Promise<void> }> {
    return this.withButtons('.notifications-toasts .notification-toast', message);
  }

  /** The modal dialog whose text matches `message`, once shown: its text, and a click on one of its buttons. */
  dialog(message: RegExp): Promise<{ text: string; click(button: string): Promise<void> }> {
    return this.withButtons('.monaco-dialog-box', message);
  }

  private async withButtons(selector: string, message: RegExp): Promise<{ text: string; click(button: string): Promise<void> }> {
    const box = this.page.locator(selector).filter({ visible: true, hasText: message }).first();
    await box.waitFor();
    return {
      text: (await box.innerText()).replace(/\s+/g, ' '),
      click: (button: string) => box.locator('.monaco-button', { hasText: button }).click(),
    };
  }

  /** Waits until no notification toast (progress included) is on screen. */
  async waitForNoNotifications(): Promise<void> {
    await waitUntil('the notifications to close', async () => (await this.page.locator('.notifications-toasts .notification-toast').filter({ visible: true }).count()) === 0);
  }

  /** The text of the plan view (a webview: two nested frames), once it contains `text`. */
  async planViewText(text: string): Promise<string> {
    await this.page.locator('.tabs-container .tab', { hasText: 'PerfLens: Query Plan' }).waitFor();
    const body = this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('body');
    await body.filter({ hasText: text }).waitFor();
    return body.innerText();
  }

  /**
   * Runs a command from the palette (F1) by its title, e.g. "PerfLens: Show Output", then answers
   * the input boxes it opens, in order: each is told by its title; its proposed value is replaced.
   */
  async runCommand(title: string, inputs: ReadonlyArray<{ title: string; value: string }> = []): Promise<void> {
    await this.quickInput('F1', title);
    await this.page.locator('.quick-input-list .monaco-list-row').first().and(this.page.locator(`[aria-label^="${title}"]`)).waitFor();
    await this.page.keyboard.press('Enter');
    for (const input of inputs) {
      await this.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: input.title }).waitFor({ state: 'visible' });
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.type(input.value);
      await this.page.keyboard.press('Enter');
    }
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
}

/** Polls `condition` until it holds; fails after `timeoutMs` with what it was waiting for. */
export async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
