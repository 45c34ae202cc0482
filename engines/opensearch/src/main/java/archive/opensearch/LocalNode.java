package archive.opensearch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node with its plugins on the classpath, started the way the
 * test framework's MockNode starts one: no distribution, no plugin folders.
 *
 * <p>Usage: {@code java -cp ... archive.opensearch.LocalNode key=value ...}, where each
 * argument is a node setting (path.home and node.name at least). The node binds to
 * 127.0.0.1 unless told otherwise, and closes cleanly on SIGTERM.
 *
 * <p>Running as root: the refusal "can not run opensearch as root" and the bootstrap
 * checks live in org.opensearch.bootstrap.Bootstrap, which the opensearch command
 * runs. Node itself has neither (its validateNodeBeforeAcceptingRequests is empty),
 * so this launcher, like MockNode, starts as any user.
 */
public final class LocalNode extends Node {

    /** The modules that a distribution would load from modules/: HTTP and transport, French analysis. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    private LocalNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    /** The node settings: safe local defaults, then the command-line key=value pairs. */
    static Settings settingsFrom(String[] args) {
        Settings.Builder builder = Settings.builder()
            .put("network.host", "127.0.0.1")
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        for (String required : List.of("path.home", "node.name")) {
            if (!settings.hasValue(required)) {
                throw new IllegalArgumentException("missing setting: " + required);
            }
        }
        return settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = settingsFrom(args);
        LogConfigurator.configureWithoutConfig(settings);
        // configureWithoutConfig leaves log4j with no appender at all: add ours (INFO to stdout).
        Configurator.reconfigure(LocalNode.class.getResource("/local-node-log4j2.properties").toURI());
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings,
            Map.of(),
            null,
            () -> settings.get("node.name")
        );
        Node node = new LocalNode(environment, PLUGINS);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "local-node-shutdown"));
        node.start();
        closed.await();
    }
}
