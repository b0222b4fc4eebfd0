package org.coursebot.chat.api;

import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Serves the sample course at /course/ when configured, so the demo's citation links land somewhere real. */
@ApplicationScoped
public class DemoCourseRoute {

    void route(@Observes Router router, ChatConfig config) {
        config.demoCourseDirectory().ifPresent(dir -> {
            router.route("/course/*").handler(StaticHandler.create(FileSystemAccess.ROOT,
                    java.nio.file.Path.of(dir).toAbsolutePath().toString()).setIndexPage("index.html"));
            Log.infof("serving the demo course from %s at /course/", dir);
        });
    }
}
