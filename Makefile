# Build targets for `sam build` (template.yaml: BuildMethod makefile, CodeUri .). Each target packs the shaded
# jar of the function's Maven module into lib/ of the artifact: the Lambda Java runtime puts /var/task/lib/*.jar
# on the classpath. Needs a JDK >= 21 (./mvnw downloads Maven).
MVN := ./mvnw -B -q -DskipTests
SENDER := functions/ben-sender
RECEIVER := examples/orders/receiver
ADMIN := functions/ben-admin

build-NotifyFunction build-RetryFunction build-SweeperFunction build-StatusApiFunction:
	$(MVN) -pl $(SENDER) -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(SENDER)/target/function.jar "$(ARTIFACTS_DIR)/lib/ben-sender.jar"

build-ManagementApiFunction:
	$(MVN) -pl $(ADMIN) -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(ADMIN)/target/function.jar "$(ARTIFACTS_DIR)/lib/ben-admin.jar"

build-ReceiverFunction build-ReconcileFunction:
	$(MVN) -pl $(RECEIVER) -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(RECEIVER)/target/function.jar "$(ARTIFACTS_DIR)/lib/ben-receiver.jar"

.PHONY: build-NotifyFunction build-RetryFunction build-SweeperFunction build-StatusApiFunction \
	build-ManagementApiFunction build-ReceiverFunction build-ReconcileFunction
