package io.sparkcnn.jobs.architectures.summary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/** The vertices of a graph configuration in an order where every vertex comes after its inputs. */
final class GraphOrder {
    private GraphOrder() {}

    /** Keeps the order the vertices were declared in wherever that already works, which is how people read it. */
    static List<String> of(ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> placed = new HashSet<>(conf.getNetworkInputs());
        List<String> pending = new ArrayList<>(conf.getVertices().keySet());
        pending.removeAll(conf.getNetworkInputs());
        List<String> order = new ArrayList<>();
        while (!pending.isEmpty()) {
            int before = order.size();
            for (String vertex : List.copyOf(pending)) {
                if (placed.containsAll(inputs.getOrDefault(vertex, List.of()))) {
                    order.add(vertex);
                    placed.add(vertex);
                    pending.remove(vertex);
                }
            }
            if (order.size() == before) {
                throw new IllegalArgumentException("graph vertices " + pending
                        + " wait on inputs that never arrive (a cycle or a misspelt input name)");
            }
        }
        return order;
    }
}
