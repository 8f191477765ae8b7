package io.github.mq4j.sqs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksRequest;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResponse;
import software.amazon.awssdk.services.sqs.model.PurgeQueueRequest;
import software.amazon.awssdk.services.sqs.model.PurgeQueueResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskRequest;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskResponse;

/**
 * The SQS operations mq4j uses, as blocking calls over either an {@link SqsClient} or an
 * {@link SqsAsyncClient} (whichever the application handed in). Exceptions are the SDK's own,
 * unwrapped from {@link CompletionException}. Thread-safe as the clients are.
 */
interface SqsCalls {

    SendMessageResponse sendMessage(SendMessageRequest request);

    SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request);

    ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request);

    DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request);

    ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request);

    ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request);

    GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request);

    GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request);

    CreateQueueResponse createQueue(CreateQueueRequest request);

    PurgeQueueResponse purgeQueue(PurgeQueueRequest request);

    StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest request);

    ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest request);

    default SendMessageResponse sendMessage(Consumer<SendMessageRequest.Builder> request) {
        return sendMessage(SendMessageRequest.builder().applyMutation(request).build());
    }

    default SendMessageBatchResponse sendMessageBatch(Consumer<SendMessageBatchRequest.Builder> request) {
        return sendMessageBatch(SendMessageBatchRequest.builder().applyMutation(request).build());
    }

    default ReceiveMessageResponse receiveMessage(Consumer<ReceiveMessageRequest.Builder> request) {
        return receiveMessage(ReceiveMessageRequest.builder().applyMutation(request).build());
    }

    default DeleteMessageBatchResponse deleteMessageBatch(Consumer<DeleteMessageBatchRequest.Builder> request) {
        return deleteMessageBatch(DeleteMessageBatchRequest.builder().applyMutation(request).build());
    }

    default ChangeMessageVisibilityResponse changeMessageVisibility(Consumer<ChangeMessageVisibilityRequest.Builder> request) {
        return changeMessageVisibility(ChangeMessageVisibilityRequest.builder().applyMutation(request).build());
    }

    default ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(Consumer<ChangeMessageVisibilityBatchRequest.Builder> request) {
        return changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest.builder().applyMutation(request).build());
    }

    default GetQueueAttributesResponse getQueueAttributes(Consumer<GetQueueAttributesRequest.Builder> request) {
        return getQueueAttributes(GetQueueAttributesRequest.builder().applyMutation(request).build());
    }

    default GetQueueUrlResponse getQueueUrl(Consumer<GetQueueUrlRequest.Builder> request) {
        return getQueueUrl(GetQueueUrlRequest.builder().applyMutation(request).build());
    }

    default CreateQueueResponse createQueue(Consumer<CreateQueueRequest.Builder> request) {
        return createQueue(CreateQueueRequest.builder().applyMutation(request).build());
    }

    default PurgeQueueResponse purgeQueue(Consumer<PurgeQueueRequest.Builder> request) {
        return purgeQueue(PurgeQueueRequest.builder().applyMutation(request).build());
    }

    default StartMessageMoveTaskResponse startMessageMoveTask(Consumer<StartMessageMoveTaskRequest.Builder> request) {
        return startMessageMoveTask(StartMessageMoveTaskRequest.builder().applyMutation(request).build());
    }

    default ListMessageMoveTasksResponse listMessageMoveTasks(Consumer<ListMessageMoveTasksRequest.Builder> request) {
        return listMessageMoveTasks(ListMessageMoveTasksRequest.builder().applyMutation(request).build());
    }

    static SqsCalls of(SqsClient client) {
        return new SqsCalls() {
            @Override
            public SendMessageResponse sendMessage(SendMessageRequest r) {
                return client.sendMessage(r);
            }

            @Override
            public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest r) {
                return client.sendMessageBatch(r);
            }

            @Override
            public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest r) {
                return client.receiveMessage(r);
            }

            @Override
            public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest r) {
                return client.deleteMessageBatch(r);
            }

            @Override
            public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest r) {
                return client.changeMessageVisibility(r);
            }

            @Override
            public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest r) {
                return client.changeMessageVisibilityBatch(r);
            }

            @Override
            public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest r) {
                return client.getQueueAttributes(r);
            }

            @Override
            public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest r) {
                return client.getQueueUrl(r);
            }

            @Override
            public CreateQueueResponse createQueue(CreateQueueRequest r) {
                return client.createQueue(r);
            }

            @Override
            public PurgeQueueResponse purgeQueue(PurgeQueueRequest r) {
                return client.purgeQueue(r);
            }

            @Override
            public StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest r) {
                return client.startMessageMoveTask(r);
            }

            @Override
            public ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest r) {
                return client.listMessageMoveTasks(r);
            }
        };
    }

    static SqsCalls of(SqsAsyncClient client) {
        return new SqsCalls() {
            @Override
            public SendMessageResponse sendMessage(SendMessageRequest r) {
                return join(client::sendMessage, r);
            }

            @Override
            public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest r) {
                return join(client::sendMessageBatch, r);
            }

            @Override
            public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest r) {
                return join(client::receiveMessage, r);
            }

            @Override
            public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest r) {
                return join(client::deleteMessageBatch, r);
            }

            @Override
            public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest r) {
                return join(client::changeMessageVisibility, r);
            }

            @Override
            public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest r) {
                return join(client::changeMessageVisibilityBatch, r);
            }

            @Override
            public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest r) {
                return join(client::getQueueAttributes, r);
            }

            @Override
            public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest r) {
                return join(client::getQueueUrl, r);
            }

            @Override
            public CreateQueueResponse createQueue(CreateQueueRequest r) {
                return join(client::createQueue, r);
            }

            @Override
            public PurgeQueueResponse purgeQueue(PurgeQueueRequest r) {
                return join(client::purgeQueue, r);
            }

            @Override
            public StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest r) {
                return join(client::startMessageMoveTask, r);
            }

            @Override
            public ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest r) {
                return join(client::listMessageMoveTasks, r);
            }
        };
    }

    private static <Q, R> R join(Function<Q, CompletableFuture<R>> call, Q request) {
        try {
            return call.apply(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
