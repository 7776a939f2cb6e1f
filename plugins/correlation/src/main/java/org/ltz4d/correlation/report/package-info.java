/**
 * The self-contained HTML report of an analysis folder ({@code ltz4d report DIR}): see
 * {@link org.ltz4d.correlation.report.HtmlReport}. Not exported: front-ends use the
 * {@link org.ltz4d.api.analysis.Report} service ({@link org.ltz4d.correlation.report.HtmlReportService}).
 */
package org.ltz4d.correlation.report;
