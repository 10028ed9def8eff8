/** Prometheus rule-file shapes, shared by the Prometheus and Loki generators and the forms. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;
