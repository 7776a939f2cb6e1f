/**
 * The self-contained HTML report of an analysis folder ({@code ltz4d report DIR}): see
 * {@link org.ltz4d.correlation.report.HtmlReport}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.ltz4d.correlation.report;
