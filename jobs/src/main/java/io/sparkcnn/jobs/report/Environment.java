package io.sparkcnn.jobs.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a run's metrics.json records about where it ran: the library versions and the driver's machine, and
 * the configuration text with any credentials taken out of its URIs.
 */
public final class Environment {
    /** {@code scheme://user:password@host}: the user information of a URI (s3a, hdfs, http). */
    private static final Pattern URI_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s\"]+@");
    /** A HOCON/properties value under a key that names a secret. */
    private static final Pattern SECRET_VALUE = Pattern.compile("(?i)(\"?[\\w.-]*(secret|password|passwd|token"
            + "|credential|access[.-]?key)[\\w.-]*\"?\\s*[:=]\\s*)(\"[^\"]*\"|[^\\s,}\\]]+)");

    private Environment() {}

    /** Spark (as the running context reports it), DL4J, Scala and Java versions. */
    public static Map<String, Object> versions(String sparkVersion) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("spark", sparkVersion);
        v.put("dl4j", dl4jVersion());
        v.put("nd4j", mavenVersion("org.nd4j", "nd4j-api", null));
        v.put("scala", scala.util.Properties.versionNumberString());
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        return v;
    }

    /** The version of DL4J on the classpath, from its jar's Maven metadata. */
    public static String dl4jVersion() {
        return mavenVersion("org.deeplearning4j", "deeplearning4j-nn", "unknown");
    }

    /** The driver's machine: cores, physical memory, the driver's heap, the OS and the CPU model. */
    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_bytes", os.getTotalMemorySize());
        }
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpu_model", cpuModel());
        return m;
    }

    /** The text with passwords in URIs and values of secret-looking keys replaced by {@code ***}. */
    public static String withoutSecrets(String text) {
        String s = URI_USER_INFO.matcher(text).replaceAll("$1***@");
        return SECRET_VALUE.matcher(s).replaceAll("$1\"***\"");
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException e) {
            // Not every OS has /proc/cpuinfo; the report then shows the architecture only.
        }
        return System.getProperty("os.arch");
    }

    /** The version in a jar's Maven descriptor, which every Maven-built jar carries. */
    private static String mavenVersion(String group, String artifact, String fallback) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Environment.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", fallback);
            }
        } catch (IOException e) {
            // Fall back: the version is informative only.
        }
        return fallback;
    }
}
