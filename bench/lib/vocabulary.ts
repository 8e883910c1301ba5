/** Fixed word list and metadata values of the synthetic corpus. Changing them changes every synthetic result. */

export const CATEGORIES = ['engineering', 'finance', 'legal', 'operations', 'research'] as const;
export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2024;

// 240 distinct content words, none of them an English stop word (so each is searchable by keyword).
export const VOCABULARY: readonly string[] = `
account adapter agreement algorithm allocation analysis anomaly archive assessment asset
audit backlog balance bandwidth baseline batch benchmark billing boundary budget
buffer cache calendar capacity catalog certificate channel checkpoint cluster compliance
component compression configuration connector consensus container contract controller cursor customer
dashboard database deadline debt deployment dependency deposit diagnosis dividend document
domain encryption endpoint engine estimate evidence exchange expense experiment export
failover feature filter firmware forecast framework function gateway governance gradient
hardware hashing heuristic histogram hypothesis incident index inference inflation inventory
invoice journal kernel keystore latency ledger liability license liquidity litigation
logistics machine manifest margin market memory merger metadata metric migration
model module monitor mortgage network notebook observation offset onboarding operator
optimizer outage package parser partition patent payload payment pipeline pivot
platform policy portfolio premium privacy procedure processor procurement profile protocol
prototype provider quarter query queue quorum rebalance receipt recovery refund
regression regulation release replica report repository request reserve resource retention
revenue review rollback rollout router runtime sample scheduler schema scorecard
sensor server service settlement shipment signal snapshot software solvency specimen
spreadsheet statute storage strategy stream subpoena subsidy supplier survey symbol
syntax tariff taxonomy telemetry template tenant testimony threshold throughput ticket
timeline token topology trace tracker transaction transfer treasury trial tribunal
tuning upgrade upstream usage valuation variance vector vendor version warehouse
warranty webhook workflow workload yield zone ablation accuracy adjudication amortization
annotation appeal arbitration attribution calibration capital clause collateral corpus covariance
dataset deduction embedding escrow estimator fiduciary grant hedging indemnity interest
`
  .split(/\s+/)
  .filter((word) => word.length > 0);
