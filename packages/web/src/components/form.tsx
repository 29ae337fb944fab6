"use client";
import {
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
  useId,
  useState,
} from "react";
import { useI18n } from "../i18n";
import { type PasswordRules, passwordRules } from "../lib/validation";

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  prefix?: string;
}

/** A labelled input whose hint and error are announced with it. */
export function TextField({ label, hint, error, prefix, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className={prefix ? "input-group" : undefined}>
        {prefix ? (
          <span className="input-prefix" aria-hidden="true">
            {prefix}
          </span>
        ) : null}
        <input
          id={id}
          className="input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
      </div>
      {error ? (
        <p id={errorId} className="field-error">
          <ErrorIcon />
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A handle: "@" before it, no autocorrect or capitals; `autoComplete` may be overridden (sign-up: "username"). */
export function HandleField(props: Omit<FieldProps, "prefix" | "name">) {
  return (
    <TextField
      prefix="@"
      name="handle"
      autoComplete="off"
      autoCapitalize="none"
      spellCheck={false}
      {...props}
    />
  );
}

interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  label: string;
  hint?: ReactNode;
  error?: string | null;
}

export function TextAreaField({ label, hint, error, ...textarea }: TextAreaProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        className="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...textarea}
      />
      {error ? (
        <p id={errorId} className="field-error">
          <ErrorIcon />
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

interface PasswordFieldProps extends Omit<FieldProps, "type" | "prefix"> {
  showRules?: boolean;
}

/** A password input with a show/hide toggle and, on sign-up, the pool's rules checked as you type. */
export function PasswordField({ showRules, value, error, label, ...input }: PasswordFieldProps) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  const toggleId = useId();
  const rules = passwordRules(String(value ?? ""));
  const ruleList: [keyof PasswordRules, string][] = [
    ["length", t("password.rule.length")],
    ["lowercase", t("password.rule.lowercase")],
    ["number", t("password.rule.number")],
  ];
  return (
    <div className="password-field">
      <TextField
        {...input}
        label={label}
        value={value}
        error={error}
        type={visible ? "text" : "password"}
        hint={
          showRules ? (
            <>
              <span className="rules-title">{t("password.rulesTitle")}</span>
              <span className="rules">
                {ruleList.map(([rule, text]) => (
                  <span key={rule} className={`rule${rules[rule] ? " rule-met" : ""}`}>
                    <span aria-hidden="true" className="rule-mark">
                      {rules[rule] ? "✓" : "•"}
                    </span>
                    {text}
                    <span className="visually-hidden">
                      {" "}
                      ({rules[rule] ? t("password.ruleMet") : t("password.ruleMissing")})
                    </span>
                  </span>
                ))}
              </span>
            </>
          ) : undefined
        }
      />
      <div className="checkbox">
        <input
          id={toggleId}
          type="checkbox"
          checked={visible}
          onChange={(e) => setVisible(e.target.checked)}
        />
        <label htmlFor={toggleId}>{t("common.showPassword")}</label>
      </div>
    </div>
  );
}

export function FormAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert">
      <ErrorIcon />
      <div>{children}</div>
    </div>
  );
}

export function FormStatus({ children }: { children: ReactNode }) {
  return (
    <div className={children ? "alert alert-success" : "status-slot"} role="status">
      {children}
    </div>
  );
}

export function SubmitButton({
  busy,
  label,
  busyLabel,
}: {
  busy: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <button type="submit" className="btn btn-primary btn-block" disabled={busy} aria-busy={busy}>
      {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
      {busy ? busyLabel : label}
    </button>
  );
}

function ErrorIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" className="icon">
      <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
    </svg>
  );
}

/** Moves focus to the first invalid field after a failed submit. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    form?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  });
}
