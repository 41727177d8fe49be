package io.sparkcnn.jobs.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;
import scala.runtime.AbstractFunction1;

/**
 * Builds a stage's Spark ML Params: one per job key of {@link JobParams} (typed from its default, checked by the
 * config loader) and the stages' own column Params.
 */
final class StageParams {
    private StageParams() {}

    /** The job Params of {@code parent}, by Param name, in the declarations' order. */
    static Map<String, Param<?>> jobParams(Identifiable parent, String stage) {
        Map<String, Param<?>> params = new LinkedHashMap<>();
        for (JobParams.Key key : JobParams.KEYS) {
            Validator valid = new Validator(key, stage);
            Param<?> param = key.type() == Integer.class ? new IntParam(parent, key.name(), key.doc(), valid)
                    : key.type() == Long.class ? new LongParam(parent, key.name(), key.doc(), valid)
                    : key.type() == Double.class ? new DoubleParam(parent, key.name(), key.doc(), valid)
                    : key.type() == Boolean.class ? new BooleanParam(parent, key.name(), key.doc())
                    : new Param<String>(parent, key.name(), key.doc() + (key.hocon() ? " As HOCON text, e.g. "
                            + key.sparkDefault() + "." : ""), castValidator(valid));
            params.put(key.name(), param);
        }
        return params;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static scala.Function1<String, Object> castValidator(Validator valid) {
        return (scala.Function1) valid;
    }

    static Param<String> column(Identifiable parent, String name, String doc) {
        return new Param<>(parent, name, doc);
    }

    /**
     * A Param's validation: the config loader's verdict on the value with every other key at its default. A
     * refused value throws, naming the stage, the Param and its job key, with the loader's reason.
     */
    static final class Validator extends AbstractFunction1<Object, Object> implements Serializable {
        private final JobParams.Key key;
        private final String stage;

        Validator(JobParams.Key key, String stage) {
            this.key = key;
            this.stage = stage;
        }

        @Override
        public Object apply(Object value) {
            // Defaults are valid by declaration; Spark checks them every time a stage is copied.
            if (Objects.equals(value, key.sparkDefault())) {
                return true;
            }
            List<String> problems = JobParams.problemsWith(key, value);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(stage + ": Param " + key.name() + " (job key " + key.key() + "): "
                        + String.join("; ", problems));
            }
            return true;
        }
    }
}
