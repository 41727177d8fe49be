package io.sparkcnn.yarn;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One in-process HDFS + YARN for all the specs of a test run (about 15 s to start and as long to stop, paid
 * once), given to any spec method that takes a {@link YarnHdfsCluster}, and stopped when JUnit closes its root
 * store at the end of the run, whatever the specs did. Its files stay under target/ for a post-mortem.
 */
final class SharedCluster implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == YarnHdfsCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedCluster.class));
        return store.getOrComputeIfAbsent("cluster", key -> {
            try {
                Path work = Path.of("target").toAbsolutePath().resolve("yarn-cluster-" + System.currentTimeMillis());
                return new Closing(YarnHdfsCluster.start(Files.createDirectories(work)));
            } catch (Exception e) {
                throw new IllegalStateException("the in-process HDFS and YARN did not start: " + e.getMessage(), e);
            }
        }, Closing.class).cluster();
    }

    /** The cluster as JUnit's store closes it. */
    private record Closing(YarnHdfsCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
