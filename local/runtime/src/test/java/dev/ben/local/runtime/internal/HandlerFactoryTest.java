package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerFactoryTest {

    public static final class WithEnv implements RequestHandler<Object, Object> {
        final Map<String, String> env;

        public WithEnv() {
            this.env = Map.of("from", "no-arg");
        }

        public WithEnv(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Object handleRequest(Object input, Context context) {
            return env.get("from");
        }
    }

    public static final class NoArgOnly implements RequestHandler<Object, Object> {
        @Override
        public Object handleRequest(Object input, Context context) {
            return "no-arg";
        }
    }

    public static final class NotAHandler {
    }

    public static final class NoUsableConstructor implements RequestHandler<Object, Object> {
        public NoUsableConstructor(String something) {
        }

        @Override
        public Object handleRequest(Object input, Context context) {
            return null;
        }
    }

    @Test
    void mapConstructor_isPreferred_andGetsTheEnvironment() {
        var handler = HandlerFactory.forClassName(WithEnv.class.getName(), Map.of("from", "env-map")).orElseThrow().get();

        assertThat(handler.handleRequest(null, null)).isEqualTo("env-map");
    }

    @Test
    void noArgConstructor_isTheFallback() {
        var handler = HandlerFactory.forClassName(NoArgOnly.class.getName(), Map.of()).orElseThrow().get();

        assertThat(handler.handleRequest(null, null)).isEqualTo("no-arg");
    }

    @Test
    void missingClass_isEmpty_unusableClassesAreErrors() {
        assertThat(HandlerFactory.forClassName("dev.ben.nope.Missing", Map.of())).isEmpty();
        assertThatThrownBy(() -> HandlerFactory.forClassName(NotAHandler.class.getName(), Map.of()))
                .hasMessageContaining("does not implement");
        assertThatThrownBy(() -> HandlerFactory.forClassName(NoUsableConstructor.class.getName(), Map.of()))
                .hasMessageContaining("needs a public constructor taking Map<String,String>");
    }
}
