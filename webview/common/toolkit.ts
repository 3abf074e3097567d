// Owns registering the @vscode/webview-ui-toolkit components the webviews use (the rest are left out of the bundle).
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTag,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeBadge(),
    vsCodeButton(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTag(),
    vsCodeTextField(),
  );
}

/** The value of a toolkit form control (they are custom elements with a `value` property). */
export function valueOf(element: Element): string {
  return (element as HTMLElement & { value?: string }).value ?? '';
}

export function setValue(element: Element, value: string): void {
  (element as HTMLElement & { value?: string }).value = value;
}
