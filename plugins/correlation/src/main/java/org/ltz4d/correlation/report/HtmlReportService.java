package org.ltz4d.correlation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ltz4d.api.analysis.Report;
import org.ltz4d.api.error.InvalidInputException;
import org.osgi.service.component.annotations.Component;

/** The HTML report as a service ({@code ltz4d report DIR}, {@code ltz4d demo}): {@link HtmlReport#write(Path)}. */
@Component(service = Report.class)
public class HtmlReportService implements Report {
    public static final String NAME = "html";

    @Override
    public String name() {
        return NAME;
    }

    /** Writes {@code resultsDir/report.html}, then moves it to {@code outFile} when that is elsewhere. */
    @Override
    public Path write(Path resultsDir, Path outFile) {
        Path written = HtmlReport.write(resultsDir);
        if (written.toAbsolutePath().normalize().equals(outFile.toAbsolutePath().normalize())) return written;
        try {
            Path parent = outFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.move(written, outFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InvalidInputException(outFile, "report", "a writable file", e.getMessage(), e);
        }
    }
}
