"use client";
import { useSearchParams } from "next/navigation";
import { ChatScreen } from "../../components/chat/chat-screen";

export default function ChatPage() {
  // Server-made links (pushes for messages and calls) say `/chat/?room=<id>`: show that room.
  const room = useSearchParams().get("room");
  return <ChatScreen roomId={room || null} />;
}
